namespace XSend.Cli.Commands;

/// <summary>The account and connection options common to every command, before settings are loaded.</summary>
internal sealed record ConnectionRequest(
    string? ConfigPath,
    IReadOnlyDictionary<string, (string Value, string Option)> SettingOverrides,
    bool PasswordOnCommandLine,
    TimeSpan? Timeout,
    bool Verbose,
    bool Debug,
    bool AllowPlaintext)
{
    /// <summary>--insecure: accept any certificate (command line only, never from a config file).</summary>
    public bool Insecure { get; init; }

    /// <summary>--room-password was given on the command line (visible in ps).</summary>
    public bool RoomPasswordOnCommandLine { get; init; }
}
