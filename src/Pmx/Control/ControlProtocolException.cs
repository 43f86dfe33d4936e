namespace Pmx.Control;

/// <summary>
/// The other side broke the conversation: closed early, sent something that is not a control
/// message, or took too long. The message is written for the user.
/// </summary>
internal sealed class ControlProtocolException(string message, Exception? inner = null) : Exception(message, inner);
