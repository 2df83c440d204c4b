namespace XSend.Cli.Failures;

/// <summary>A failure the CLI detects itself (usage, data, configuration), with its exit code.</summary>
internal sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
