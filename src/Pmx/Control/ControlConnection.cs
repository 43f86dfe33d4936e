using System.Text.Json;

namespace Pmx.Control;

/// <summary>
/// Serves one accepted connection: read the request line, check the protocol version, run the
/// handler, make sure exactly one result goes back. Never throws: one bad connection must not
/// touch the others or the daemon.
/// </summary>
internal sealed class ControlConnection(
    Stream connection,
    Func<ControlRequest, IControlResponder, CancellationToken, Task> handler,
    ControlServerOptions options,
    CancellationToken stopping)
{
    const int RequestBufferBytes = 4096;

    public async Task ServeAsync()
    {
        await using var stream = connection;
        var responder = new QueuedResponder(stream);
        try
        {
            var request = await ReadRequestAsync(stream, responder).ConfigureAwait(false);
            if (request is not null) await RunHandlerAsync(request, responder).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            options.Log?.Invoke($"control: connection failed: {e.Message}");
            if (!responder.HasResult) await responder.Result(ExitCodes.Failure, $"pmx: the daemon failed to serve this request: {e.Message}").ConfigureAwait(false);
        }

        // A CLI that stopped reading must not keep this connection, and its stream, forever.
        try { await responder.Pumped.WaitAsync(options.ResultFlushTimeout).ConfigureAwait(false); }
        catch (TimeoutException) { options.Log?.Invoke("control: the CLI did not read its answer in time; closing the connection."); }
    }

    /// <summary>The request, or null when there is none to run (the responder then holds the answer, if any).</summary>
    async Task<ControlRequest?> ReadRequestAsync(Stream stream, QueuedResponder responder)
    {
        byte[]? line;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping))
        {
            deadline.CancelAfter(options.RequestReadTimeout);
            try
            {
                // A request is one short line (longer ones still arrive whole): the reader's default
                // 64 KB buffer was most of what the daemon allocated per `pmx list`, and what made
                // its heap grow by megabytes over a few hundred lists until a gen0 GC.
                line = await new JsonLineReader(stream, ControlProtocol.MaxLineBytes, bufferBytes: RequestBufferBytes).ReadLineAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
            {
                await responder.Result(ExitCodes.Failure, $"pmx: no request arrived within {options.RequestReadTimeout.TotalSeconds:0.#}s; closing the connection.").ConfigureAwait(false);
                return null;
            }
            catch (ControlProtocolException e)
            {
                await responder.Result(ExitCodes.Failure, e.Message).ConfigureAwait(false);
                return null;
            }
        }

        // Connect-then-close is how a starting daemon or the CLI checks whether anyone listens.
        if (line is null) { await responder.Result(ExitCodes.Ok).ConfigureAwait(false); return null; }

        ControlRequestHeader header;
        try
        {
            header = JsonSerializer.Deserialize(line, ControlJsonContext.Default.ControlRequestHeader)
                     ?? throw new JsonException("the request is null");
        }
        catch (JsonException e)
        {
            await responder.Result(ExitCodes.Failure, $"pmx: the daemon could not read the request: {e.Message}").ConfigureAwait(false);
            return null;
        }

        if (header.ProtocolVersion != ControlProtocol.Version)
        {
            if (header.Command is { } command && ControlProtocol.VersionIndependentCommands.Contains(command))
                return new ControlRequest { Command = command, ProtocolVersion = header.ProtocolVersion ?? 0, PmxVersion = header.PmxVersion ?? "unknown" };
            await responder.Result(ExitCodes.Failure, ControlProtocol.VersionMismatchMessage(
                header.PmxVersion ?? "unknown", header.ProtocolVersion, BuildInfo.Version, ControlProtocol.Version)).ConfigureAwait(false);
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(line, ControlJsonContext.Default.ControlRequest)
                   ?? throw new JsonException("the request is null");
        }
        catch (JsonException e)
        {
            await responder.Result(ExitCodes.Failure, $"pmx: the daemon could not read the '{header.Command}' request: {e.Message}").ConfigureAwait(false);
            return null;
        }
    }

    async Task RunHandlerAsync(ControlRequest request, QueuedResponder responder)
    {
        try
        {
            await handler(request, responder, stopping).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            options.Log?.Invoke($"control: '{request.Command}' failed: {e}");
            if (!responder.HasResult)
                await responder.Result(ExitCodes.Failure, $"pmx: the daemon failed while running '{request.Command}': {e.Message} (details in the daemon log)").ConfigureAwait(false);
            return;
        }

        if (!responder.HasResult)
        {
            options.Log?.Invoke($"control: '{request.Command}' finished without a result");
            await responder.Result(ExitCodes.Failure, $"pmx internal error: the daemon finished '{request.Command}' without an answer.").ConfigureAwait(false);
        }
    }
}
