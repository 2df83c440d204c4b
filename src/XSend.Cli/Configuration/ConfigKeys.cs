namespace XSend.Cli.Configuration;

/// <summary>The configuration keys; <c>appsettings.example.json</c> documents each one.</summary>
internal static class ConfigKeys
{
    public const string Jid = "Account:Jid";
    public const string Password = "Account:Password";
    public const string PasswordFile = "Account:PasswordFile";
    public const string Server = "Account:Server";
    public const string CaFile = "Account:CaFile";
    public const string ResourcePrefix = "Account:ResourcePrefix";
    public const string DirectTls = "Account:DirectTls";
    public const string Pin = "Account:Pin";
    public const string RoomPassword = "Rooms:Password";
    public const string RoomPasswordFile = "Rooms:PasswordFile";
    public const string RequireChannelBinding = "Security:RequireChannelBinding";
    public const string PinMechanism = "Security:PinMechanism";
    public const string FastTokens = "Security:FastTokens";
    public const string DnsServer = "Dns:Server";
    public const string Timeout = "Timeout";
    public const string OutboxDirectory = "Outbox:Directory";
    public const string OutboxMaxAgeHours = "Outbox:MaxAgeHours";
    public const string StateDirectory = "State:Directory";

    /// <summary>Every key, to check each source's JSON shapes.</summary>
    public static readonly string[] All =
    [
        Jid, Password, PasswordFile, Server, CaFile, ResourcePrefix, DirectTls, Pin, RequireChannelBinding, PinMechanism,
        FastTokens, DnsServer, Timeout, OutboxDirectory, OutboxMaxAgeHours,
    ];

    public const string EnvironmentPrefix = "XSEND_";

    /// <summary>
    /// The environment variable for a key: sections are joined by <c>__</c> and words by <c>_</c>,
    /// so <c>Account:PasswordFile</c> is <c>XSEND_ACCOUNT__PASSWORD_FILE</c>.
    /// </summary>
    public static string EnvironmentName(string key) =>
        EnvironmentPrefix + string.Join("__", key.Split(':').Select(section =>
            string.Concat(section.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : c.ToString())).ToUpperInvariant()));

    /// <summary>The key for an environment variable name without the prefix: <c>ACCOUNT__PASSWORD_FILE</c> is <c>ACCOUNT:PASSWORDFILE</c>.</summary>
    public static string KeyFromEnvironmentName(string name) => name.Replace("__", ":").Replace("_", "");
}
