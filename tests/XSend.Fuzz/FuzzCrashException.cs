namespace XSend.Fuzz;

/// <summary>A target broke its contract on an input: an untyped exception or a hang.</summary>
public sealed class FuzzCrashException(string message, Exception? innerException = null) : Exception(message, innerException);
