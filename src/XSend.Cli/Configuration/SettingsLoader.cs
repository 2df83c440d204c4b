using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using XSend.Cli.Failures;
using XSend.Cli.Input;
using XSend.Xmpp;

namespace XSend.Cli.Configuration;

/// <summary>
/// Loads settings from, later overriding earlier: /etc/xsend/appsettings.json,
/// $XDG_CONFIG_HOME/xsend/appsettings.json, --config PATH, XSEND_* environment variables, and
/// command-line options. Every error names the key and where it was set.
/// </summary>
internal static class SettingsLoader
{
    private const UnixFileMode GroupOrOtherRead = UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public static SenderSettings Load(
        CliEnvironment environment,
        string? configPath,
        IReadOnlyDictionary<string, (string Value, string Option)> commandLine,
        TextWriter warnings,
        CancellationToken cancellationToken = default)
    {
        List<ConfigLayer> layers = LoadLayers(environment, configPath, commandLine, cancellationToken);
        WarnAboutReadablePasswords(layers, warnings);

        (string jidText, ConfigLayer jidLayer) = Require(layers, ConfigKeys.Jid,
            $"no account configured: set {ConfigKeys.Jid} in {environment.UserConfigPath ?? "~/.config/xsend/appsettings.json"} "
            + $"or {environment.SystemConfigPath}, or use {ConfigKeys.EnvironmentName(ConfigKeys.Jid)} or --jid");
        if (!Jid.TryParse(jidText, out Jid? account, out string? jidError) || account.Local is null)
            throw Invalid(jidLayer, ConfigKeys.Jid, $"'{jidText}' is not an account address ({jidError ?? "it needs a user@ part"})");

        string password = LoadPassword(layers, account, warnings, cancellationToken);

        ServerEndpoint? server = null;
        bool directTls = ReadBool(layers, ConfigKeys.DirectTls);
        // An empty Server (as when the example's value is blanked) means "find it by SRV".
        if (Find(layers, ConfigKeys.Server) is (string serverText, ConfigLayer serverLayer) && serverText.Trim().Length > 0)
        {
            // XEP-0368: direct TLS has no IANA port; 5223 is the custom, unless a port is written.
            int defaultPort = directTls ? ServerEndpoint.DefaultDirectTlsPort : ServerEndpoint.DefaultClientPort;
            if (!ServerEndpoint.TryParse(serverText, defaultPort, out server, out string? serverError))
                throw Invalid(serverLayer, ConfigKeys.Server, $"'{serverText}' is not host[:port] ({serverError})");
            server = server with { DirectTls = directTls };
        }
        else if (directTls && Find(layers, ConfigKeys.DirectTls) is (_, ConfigLayer directLayer))
        {
            throw Invalid(directLayer, ConfigKeys.DirectTls,
                $"needs {ConfigKeys.Server} (--server): without it xsend finds direct TLS itself through _xmpps-client SRV records");
        }

        List<string>? pins = null;
        if (Find(layers, ConfigKeys.Pin) is (string pinText, ConfigLayer pinLayer) && pinText.Trim().Length > 0)
        {
            pins = pinText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            foreach (string pin in pins)
            {
                if (!IsSha256Pin(pin))
                    throw Invalid(pinLayer, ConfigKeys.Pin, $"'{pin}' is not sha256:BASE64 (the 44-character base64 SHA-256 of the key, as xsend prints it)");
            }
        }

        System.Net.IPEndPoint? dnsServer = null;
        if (Find(layers, ConfigKeys.DnsServer) is (string dnsText, ConfigLayer dnsLayer) && dnsText.Trim().Length > 0)
        {
            if (!ServerEndpoint.TryParse(dnsText, 53, out ServerEndpoint? dns, out _) || !System.Net.IPAddress.TryParse(dns.Host, out System.Net.IPAddress? dnsAddress))
                throw Invalid(dnsLayer, ConfigKeys.DnsServer, $"'{dnsText}' is not address[:port], e.g. 127.0.0.1:5353");
            dnsServer = new System.Net.IPEndPoint(dnsAddress, dns.Port);
        }

        X509Certificate2Collection? trusted = null;
        string? caPath = null;
        if (Find(layers, ConfigKeys.CaFile) is (string caText, ConfigLayer caLayer))
            trusted = LoadCertificates(caPath = caLayer.ResolvePath(ConfigKeys.CaFile, caText), caLayer, cancellationToken);

        string resourcePrefix = "xsend";
        if (Find(layers, ConfigKeys.ResourcePrefix) is (string prefix, ConfigLayer prefixLayer))
        {
            if (prefix.Length is 0 or > 64 || prefix.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c == '/'))
                throw Invalid(prefixLayer, ConfigKeys.ResourcePrefix, "must be 1-64 characters without spaces, '/' or control characters");
            resourcePrefix = prefix;
        }

        TimeSpan? timeout = null;
        if (Find(layers, ConfigKeys.Timeout) is (string timeoutText, ConfigLayer timeoutLayer))
        {
            // NaN fails every comparison, so the range is written as what is accepted.
            if (!double.TryParse(timeoutText, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) || !(seconds > 0 && seconds <= 3600))
                throw Invalid(timeoutLayer, ConfigKeys.Timeout, $"must be more than 0 and at most 3600 seconds, not '{timeoutText}'");
            timeout = TimeSpan.FromSeconds(seconds);
        }

        (string outboxDirectory, TimeSpan maxAge) = ReadOutbox(layers, environment);
        return new SenderSettings(account, password, server, trusted, resourcePrefix, timeout, outboxDirectory, maxAge)
        {
            CaFilePath = caPath,
            Pins = pins,
            RequireChannelBinding = ReadBool(layers, ConfigKeys.RequireChannelBinding),
            PinMechanism = ReadBool(layers, ConfigKeys.PinMechanism),
            FastTokens = ReadBool(layers, ConfigKeys.FastTokens, defaultValue: true),
            DnsServer = dnsServer,
            RoomPassword = LoadSecret(layers, ConfigKeys.RoomPassword, ConfigKeys.RoomPasswordFile, "room password file", warnings, cancellationToken, optional: true),
            StateDirectory = ReadDirectory(layers, ConfigKeys.StateDirectory) ?? environment.DefaultStateDirectory,
        };
    }

    private static string? ReadDirectory(List<ConfigLayer> layers, string key)
    {
        if (Find(layers, key) is not (string text, ConfigLayer layer))
            return null;
        return text.Trim().Length == 0 ? throw Invalid(layer, key, "is empty") : layer.ResolvePath(key, text);
    }

    private static bool ReadBool(List<ConfigLayer> layers, string key, bool defaultValue = false)
    {
        if (Find(layers, key) is not (string text, ConfigLayer layer))
            return defaultValue;
        return bool.TryParse(text.Trim(), out bool value) ? value : throw Invalid(layer, key, $"'{text}' is not true or false");
    }

    private static bool IsSha256Pin(string pin)
    {
        const string Prefix = "sha256:";
        if (!pin.StartsWith(Prefix, StringComparison.Ordinal))
            return false;
        Span<byte> hash = stackalloc byte[48];
        return Convert.TryFromBase64String(pin[Prefix.Length..], hash, out int written) && written == 32;
    }

    /// <summary>Only the outbox settings, for commands that need no account.</summary>
    public static (string Directory, TimeSpan MaxAge) LoadOutbox(
        CliEnvironment environment, string? configPath, IReadOnlyDictionary<string, (string Value, string Option)> commandLine,
        CancellationToken cancellationToken = default) =>
        ReadOutbox(LoadLayers(environment, configPath, commandLine, cancellationToken), environment);

    private static (string Directory, TimeSpan MaxAge) ReadOutbox(List<ConfigLayer> layers, CliEnvironment environment)
    {
        string directory = environment.DefaultOutboxDirectory;
        if (Find(layers, ConfigKeys.OutboxDirectory) is (string outboxText, ConfigLayer outboxLayer))
        {
            if (outboxText.Trim().Length == 0)
                throw Invalid(outboxLayer, ConfigKeys.OutboxDirectory, "is empty");
            directory = outboxLayer.ResolvePath(ConfigKeys.OutboxDirectory, outboxText);
        }

        TimeSpan maxAge = TimeSpan.FromHours(24);
        if (Find(layers, ConfigKeys.OutboxMaxAgeHours) is (string ageText, ConfigLayer ageLayer))
        {
            if (!double.TryParse(ageText, NumberStyles.Float, CultureInfo.InvariantCulture, out double hours) || !(hours > 0 && hours <= 24 * 365))
                throw Invalid(ageLayer, ConfigKeys.OutboxMaxAgeHours, $"must be more than 0 and at most 8760 hours, not '{ageText}'");
            maxAge = TimeSpan.FromHours(hours);
        }
        return (directory, maxAge);
    }

    internal static List<ConfigLayer> LoadLayers(
        CliEnvironment environment, string? configPath, IReadOnlyDictionary<string, (string Value, string Option)> commandLine,
        CancellationToken cancellationToken)
    {
        var layers = new List<ConfigLayer>();
        if (File.Exists(environment.SystemConfigPath))
            layers.Add(ConfigLayer.FromJsonFile(environment.SystemConfigPath, cancellationToken));
        if (environment.UserConfigPath is { } userPath && File.Exists(userPath))
            layers.Add(ConfigLayer.FromJsonFile(userPath, cancellationToken));
        if (configPath is not null)
        {
            if (Directory.Exists(configPath))
                throw new CliException(ExitCodes.Config, $"config file {Path.GetFullPath(configPath)} (from --config) is a directory");
            if (!File.Exists(configPath))
                throw new CliException(ExitCodes.Config, $"config file {Path.GetFullPath(configPath)} (from --config) does not exist");
            layers.Add(ConfigLayer.FromJsonFile(configPath, cancellationToken));
        }
        layers.Add(ConfigLayer.FromEnvironment(environment.Variables));
        layers.Add(ConfigLayer.FromCommandLine(commandLine));
        foreach (ConfigLayer layer in layers)
            layer.CheckShapes(ConfigKeys.All);
        return layers;
    }

    /// <summary>The most read from a password file; a password is a line.</summary>
    private const int MaxPasswordFileBytes = 64 * 1024;

    /// <summary>The most read from a CA file; the system's whole bundle is about 200 KiB.</summary>
    private const int MaxCaFileBytes = 4 * 1024 * 1024;

    private static string LoadPassword(List<ConfigLayer> layers, Jid account, TextWriter warnings, CancellationToken cancellationToken) =>
        LoadSecret(layers, ConfigKeys.Password, ConfigKeys.PasswordFile, "password file", warnings, cancellationToken)
        ?? throw new CliException(ExitCodes.Config,
            $"no password for {account}: set {ConfigKeys.PasswordFile} (or {ConfigKeys.Password}) in a config file, "
            + $"{ConfigKeys.EnvironmentName(ConfigKeys.Password)}, or --password-file");

    /// <summary>
    /// A secret given inline (<paramref name="inlineKey"/>) or as a file holding only it
    /// (<paramref name="fileKey"/>), or <see langword="null"/> when neither is set: the account's
    /// password and a room's are read the same way. An <paramref name="optional"/> secret left
    /// empty (as in the example settings) is not set.
    /// </summary>
    private static string? LoadSecret(
        List<ConfigLayer> layers, string inlineKey, string fileKey, string fileWhat, TextWriter warnings, CancellationToken cancellationToken, bool optional = false)
    {
        var inline = FindWithIndex(layers, inlineKey);
        var file = FindWithIndex(layers, fileKey);
        if (optional && inline is { Value.Length: 0 })
            inline = null;
        if (optional && file is { } f && f.Value.Trim().Length == 0)
            file = null;
        if (inline is null && file is null)
            return null;

        // The more specific source wins; both in the same source is ambiguous.
        if (inline is not null && file is not null && inline.Value.Index == file.Value.Index)
        {
            throw new CliException(ExitCodes.Config,
                $"set either {inlineKey} or {fileKey}, not both ({layers[inline.Value.Index].Describe(inlineKey)})");
        }

        if (inline is not null && (file is null || inline.Value.Index > file.Value.Index))
        {
            if (inline.Value.Value.Length == 0)
                throw Invalid(layers[inline.Value.Index], inlineKey, "is empty");
            return inline.Value.Value;
        }

        ConfigLayer layer = layers[file!.Value.Index];
        string path = layer.ResolvePath(fileKey, file.Value.Value);
        string text;
        try
        {
            WarnIfReadableByOthers(path, fileWhat, warnings);
            text = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetString(LocalFile.Read(path, MaxPasswordFileBytes, cancellationToken)).TrimStart('\uFEFF');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or TimeoutException)
        {
            throw Invalid(layer, fileKey, $"cannot read {path}: {ex.Message}");
        }
        // The file holds the secret alone; a trailing newline from an editor or echo is not part of it.
        string secret = text.TrimEnd('\r', '\n');
        if (secret.Length == 0)
            throw Invalid(layer, fileKey, $"{path} is empty");
        return secret;
    }

    private static X509Certificate2Collection LoadCertificates(string path, ConfigLayer layer, CancellationToken cancellationToken)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPem(System.Text.Encoding.UTF8.GetString(LocalFile.Read(path, MaxCaFileBytes, cancellationToken)));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or TimeoutException)
        {
            throw Invalid(layer, ConfigKeys.CaFile, $"cannot load {path}: {ex.Message}");
        }
        if (collection.Count == 0)
            throw Invalid(layer, ConfigKeys.CaFile, $"{path} holds no PEM certificates");
        return collection;
    }

    private static void WarnAboutReadablePasswords(List<ConfigLayer> layers, TextWriter warnings)
    {
        foreach (ConfigLayer layer in layers)
        {
            if (layer.FilePath is not null && (!string.IsNullOrEmpty(layer.Get(ConfigKeys.Password)) || !string.IsNullOrEmpty(layer.Get(ConfigKeys.RoomPassword))))
                WarnIfReadableByOthers(layer.FilePath, "config file holding a password", warnings);
        }
    }

    // Like ssh with a private key, but a warning rather than a refusal: an alert must still go out.
    private static void WarnIfReadableByOthers(string path, string what, TextWriter warnings)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(path))
            return;
        UnixFileMode mode = File.GetUnixFileMode(path);
        if ((mode & GroupOrOtherRead) != 0)
        {
            warnings.WriteLine(
                $"xsend: warning: {what} {path} is readable by group or others (mode {Convert.ToString((int)mode, 8).PadLeft(4, '0')}); run: chmod 600 {path}");
        }
    }

    private static (string Value, ConfigLayer Layer) Require(List<ConfigLayer> layers, string key, string whenMissing) =>
        Find(layers, key) ?? throw new CliException(ExitCodes.Config, whenMissing);

    private static (string Value, ConfigLayer Layer)? Find(List<ConfigLayer> layers, string key) =>
        FindWithIndex(layers, key) is { } found ? (found.Value, layers[found.Index]) : null;

    private static (string Value, int Index)? FindWithIndex(List<ConfigLayer> layers, string key)
    {
        for (int i = layers.Count - 1; i >= 0; i--)
        {
            if (layers[i].Get(key) is { } value)
                return (value, i);
        }
        return null;
    }

    private static CliException Invalid(ConfigLayer layer, string key, string problem) =>
        new(ExitCodes.Config, $"invalid {layer.Describe(key)}: {problem}");
}
