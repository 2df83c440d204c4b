namespace XSend.Cli.Commands;

/// <summary>What the command line asked for, before any settings are loaded.</summary>
internal sealed record SendRequest(
    string Recipient,
    string[] Words,
    string? ConfigPath,
    IReadOnlyDictionary<string, (string Value, string Option)> SettingOverrides,
    bool PasswordOnCommandLine,
    TimeSpan? Timeout,
    bool Verbose,
    bool Debug,
    bool AllowPlaintext);
