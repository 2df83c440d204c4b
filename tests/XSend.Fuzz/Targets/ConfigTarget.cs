using XSend.Cli;
using XSend.Cli.Configuration;

namespace XSend.Fuzz.Targets;

/// <summary>
/// The input is a JSON settings file given with <c>--config</c>, loaded by
/// <see cref="SettingsLoader"/> as a send would load it. A file named <c>password</c> beside it
/// lets <c>Account:PasswordFile</c> resolve.
/// </summary>
internal static class ConfigTarget
{
    private static readonly Lazy<string> Directory = new(() =>
    {
        string directory = FuzzScratch.Create("config");
        File.WriteAllText(Path.Combine(directory, "password"), "pencil\n");
        return directory;
    });

    public static string Run(byte[] input)
    {
        string path = Path.Combine(Directory.Value, "appsettings.json");
        File.WriteAllBytes(path, input);
        var environment = new CliEnvironment
        {
            // No user or system config, and no XSEND_* variables: only the fuzzed file counts.
            Variables = new Dictionary<string, string> { ["HOME"] = Directory.Value },
            StdinIsTerminal = true,
            SystemConfigPath = Path.Combine(Directory.Value, "no-system-config.json"),
        };
        var noOptions = new Dictionary<string, (string Value, string Option)>();
        (string outbox, TimeSpan maxAge) = SettingsLoader.LoadOutbox(environment, path, noOptions);
        SenderSettings settings = SettingsLoader.Load(environment, path, noOptions, TextWriter.Null);
        return $"account {settings.Account}, server {settings.Server?.ToString() ?? "by SRV"}, outbox {outbox} ({maxAge.TotalHours} h)";
    }
}
