using System.Text;
using System.Text.RegularExpressions;
using XSend.Cli.Failures;
using XSend.Cli.Input;

namespace XSend.Cli.Compat;

/// <summary>
/// A sendxmpp rc file (<c>~/.sendxmpprc</c>), read as sendxmpp 1.24 reads it: blank lines and
/// lines starting with '#' are skipped; <c>key: value</c> lines set a key (the 1.24 form:
/// username, jserver, port, password, component, tls); the old one-line form
/// <c>user@server[;host][:port] password [component]</c> replaces everything read before it.
/// </summary>
internal sealed partial record SendxmppRc
{
    /// <summary>The most an rc file may hold; it is a few lines.</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>username: a user name, or <c>user@domain</c> after the one-line form's <c>;host</c>.</summary>
    public string? Username { get; init; }

    /// <summary>jserver: the host to connect to.</summary>
    public string? Jserver { get; init; }

    /// <summary>port, or 0.</summary>
    public int Port { get; init; }

    /// <summary>password.</summary>
    public string? Password { get; init; }

    /// <summary>component.</summary>
    public string? Component { get; init; }

    /// <summary>tls: a true value (Perl's idea: anything but empty and "0").</summary>
    public bool Tls { get; init; }

    [GeneratedRegex(@"^([a-z]+):\s*(.*)$", RegexOptions.NonBacktracking)]
    private static partial Regex KeyValue();

    // sendxmpp's own pattern, unanchored at the start as there ('#' is allowed in user names).
    [GeneratedRegex(@"([\.\w_#-]+)@([-\.\w:;]+)\s+(\S+)\s*(\S+)?$", RegexOptions.NonBacktracking)]
    private static partial Regex OneLine();

    /// <summary>Parses the text of an rc file; a line sendxmpp would refuse is a configuration error (78).</summary>
    public static SendxmppRc Parse(string text, string path)
    {
        var config = new Dictionary<string, string>(StringComparer.Ordinal);
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
                continue;
            if (KeyValue().Match(line) is { Success: true } pair)
            {
                config[pair.Groups[1].Value] = pair.Groups[2].Value;
            }
            else if (OneLine().Match(line) is { Success: true } account)
            {
                config.Clear();
                config["username"] = account.Groups[1].Value;
                config["jserver"] = account.Groups[2].Value;
                config["port"] = "0";
                config["password"] = account.Groups[3].Value;
                if (account.Groups[4].Success)
                    config["component"] = account.Groups[4].Value;
            }
            else
            {
                throw new CliException(ExitCodes.Config, $"syntax error in line {i + 1} of {path}");
            }

            // As sendxmpp, after every line: "server:port", then "domain;host" (the host to connect to).
            if (config.TryGetValue("jserver", out string? jserver))
            {
                (string host, int port) = SendxmppCommandLine.SplitPort(jserver, $"line {i + 1} of {path}");
                if (port > 0)
                    (config["jserver"], config["port"]) = (host, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
                int semicolon = config["jserver"].LastIndexOf(';');
                if (semicolon >= 0)
                {
                    string domain = config["jserver"][..semicolon];
                    config["jserver"] = config["jserver"][(semicolon + 1)..];
                    if (!config.ContainsKey("component") && config.TryGetValue("username", out string? user))
                        config["username"] = $"{user}@{domain}";
                }
            }
        }
        if (config.Count == 0)
            throw new CliException(ExitCodes.Config, $"no correct config found in {path}");

        string? Get(string key) => config.TryGetValue(key, out string? value) && value.Length > 0 ? value : null;
        int rcPort = 0;
        if (Get("port") is { } portText && portText != "0"
            && (!int.TryParse(portText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out rcPort) || rcPort is < 1 or > 65535))
        {
            throw new CliException(ExitCodes.Config, $"invalid port '{portText}' in {path}: use 1-65535");
        }
        return new SendxmppRc
        {
            Username = Get("username"),
            Jserver = Get("jserver"),
            Port = rcPort,
            Password = Get("password"),
            Component = Get("component"),
            Tls = Get("tls") is { } tls && tls != "0",
        };
    }

    /// <summary>
    /// Reads and parses the rc file. Like sendxmpp, it refuses a file that group or others can
    /// access (78): it holds a password.
    /// </summary>
    public static SendxmppRc Load(string path, CancellationToken cancellationToken = default)
    {
        byte[] bytes;
        try
        {
            if (!OperatingSystem.IsWindows() && File.Exists(path)
                && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                    | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute)) != 0)
            {
                throw new CliException(ExitCodes.Config, $"{path} must not be accessible by others: it holds a password (chmod 600 {path})");
            }
            bytes = LocalFile.Read(path, MaxBytes, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or TimeoutException)
        {
            throw new CliException(ExitCodes.Config, $"cannot read {path}: {ex.Message}");
        }
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new CliException(ExitCodes.Config, $"{path} is not valid UTF-8");
        }
        return Parse(text, path);
    }
}
