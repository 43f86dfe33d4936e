namespace Pmx.Processes;

/// <summary>A worker could not be started; the message names the program and the reason in words.</summary>
public sealed class SpawnException(string program, string message) : Exception(message)
{
    /// <summary>The program as the request named it (Argv[0]).</summary>
    public string Program { get; } = program;
}
