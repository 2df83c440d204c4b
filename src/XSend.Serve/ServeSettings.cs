using System.Globalization;
using System.Net;
using XSend.Cli.Configuration;
using XSend.Cli.Failures;
using XSend.Cli.Input;
using XSend.Xmpp;

namespace XSend.Serve;

/// <summary>The <c>Serve:</c> settings of <c>xsend serve</c>, read from the same layers as the account's.</summary>
internal sealed record ServeSettings(
    IPEndPoint Listen,
    IReadOnlyList<Jid> Recipients,
    IReadOnlyList<Jid> Rooms,
    WebhookAuthentication Authentication)
{
    public const string ListenKey = "Serve:Listen";
    public const string RecipientsKey = "Serve:Recipients";
    public const string RoomsKey = "Serve:Rooms";
    public const string RoutesKey = "Serve:Routes";
    public const string TokenKey = "Serve:Token";
    public const string TokenFileKey = "Serve:TokenFile";
    public const string BasicAuthKey = "Serve:BasicAuth";
    public const string BasicAuthFileKey = "Serve:BasicAuthFile";
    public const string AllowUnauthenticatedKey = "Serve:AllowUnauthenticated";
    public const string MaxBodyBytesKey = "Serve:MaxBodyBytes";
    public const string MaxMessageLengthKey = "Serve:MaxMessageLength";
    public const string DuplicateWindowKey = "Serve:DuplicateWindowSeconds";
    public const string RetryKey = "Serve:RetrySeconds";
    public const string DeliveryTimeoutKey = "Serve:DeliveryTimeoutSeconds";

    public static readonly IPEndPoint DefaultListen = new(IPAddress.Loopback, 9095);

    /// <summary>
    /// Recipients by Alertmanager receiver name (<c>Serve:Routes:NAME</c>, a list or comma-separated);
    /// a notification for a receiver without a route goes to <see cref="Recipients"/> and <see cref="Rooms"/>.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Jid>> Routes { get; init; } = new Dictionary<string, IReadOnlyList<Jid>>();

    /// <summary>Bodies above this are refused with 413 (default 1 MiB).</summary>
    public long MaxBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>Messages are cut at this many characters with "… and N more" (default 4,000).</summary>
    public int MaxMessageLength { get; init; } = 4000;

    /// <summary>Copies of a notification within this window are dropped (default 5 minutes; 0 turns it off).</summary>
    public TimeSpan DuplicateWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often an unreachable server is tried again and the outbox sent; also the Retry-After (default 10 s).</summary>
    public TimeSpan Retry { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The deadline of one delivery (default 10 s).</summary>
    public TimeSpan DeliveryTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The most webhooks handled at once; more get 503 (bounded memory).</summary>
    public int MaxConcurrentWebhooks { get; init; } = 64;

    private const int MaxSecretFileBytes = 64 * 1024;
    private const int MaxListEntries = 100;

    /// <summary>Reads and checks the settings; errors are exit 78 naming the key and its source.</summary>
    public static ServeSettings Load(IReadOnlyList<ConfigLayer> layers, CancellationToken cancellationToken = default)
    {
        IPEndPoint listen = DefaultListen;
        if (Find(layers, ListenKey) is (string listenText, ConfigLayer listenLayer))
        {
            if (!IPEndPoint.TryParse(listenText.Trim(), out IPEndPoint? parsed) || parsed.Port == 0 || !listenText.Contains(':'))
                throw Invalid(listenLayer, ListenKey, $"'{listenText}' is not ADDRESS:PORT with an IP address and a port, e.g. 127.0.0.1:9095 or [::1]:9095");
            listen = parsed;
        }

        List<Jid> recipients = ReadJids(layers, RecipientsKey, rooms: false);
        List<Jid> rooms = ReadJids(layers, RoomsKey, rooms: true);
        if (recipients.Count == 0 && rooms.Count == 0 && !layers.Any(layer => layer.ChildKeys(RoutesKey).Any()))
        {
            throw new CliException(ExitCodes.Config,
                $"no recipients for xsend-serve: set {RecipientsKey} (a list of JIDs, or comma-separated), {RoomsKey} or {RoutesKey}");
        }

        string? token = ReadSecret(layers, TokenKey, TokenFileKey, cancellationToken);
        string? basic = ReadSecret(layers, BasicAuthKey, BasicAuthFileKey, cancellationToken);
        if (basic is not null && (!basic.Contains(':') || basic.StartsWith(':')))
            throw new CliException(ExitCodes.Config, $"invalid {BasicAuthKey}: expected USER:PASSWORD");
        var authentication = new WebhookAuthentication(token, basic);
        bool allowOpen = ReadBool(layers, AllowUnauthenticatedKey);
        if (!authentication.IsConfigured && !IPAddress.IsLoopback(listen.Address) && !allowOpen)
        {
            throw new CliException(ExitCodes.Config,
                $"refusing to listen on {listen} without authentication: set {TokenFileKey} or {BasicAuthFileKey} "
                + $"(or {ConfigKeys.EnvironmentName(TokenKey)}), or {AllowUnauthenticatedKey}: true to allow anyone who can reach it");
        }

        var routes = new Dictionary<string, IReadOnlyList<Jid>>(StringComparer.OrdinalIgnoreCase);
        foreach (string receiver in layers.SelectMany(layer => layer.ChildKeys(RoutesKey)).Distinct(StringComparer.OrdinalIgnoreCase).Take(MaxListEntries))
        {
            List<Jid> routed = ReadJids(layers, $"{RoutesKey}:{receiver}", rooms: false);
            if (routed.Count > 0)
                routes[receiver] = routed;
        }

        return new ServeSettings(listen, recipients, rooms, authentication)
        {
            Routes = routes,
            MaxBodyBytes = ReadNumber(layers, MaxBodyBytesKey, 1024, 64 * 1024 * 1024, 1024 * 1024),
            MaxMessageLength = (int)ReadNumber(layers, MaxMessageLengthKey, NotificationFormatter.MinimumLength, 1024 * 1024, 4000),
            DuplicateWindow = TimeSpan.FromSeconds(ReadNumber(layers, DuplicateWindowKey, 0, 86_400, 300)),
            Retry = TimeSpan.FromSeconds(ReadNumber(layers, RetryKey, 1, 3600, 10)),
            DeliveryTimeout = TimeSpan.FromSeconds(ReadNumber(layers, DeliveryTimeoutKey, 1, 3600, 10)),
        };
    }

    private static List<Jid> ReadJids(IReadOnlyList<ConfigLayer> layers, string key, bool rooms)
    {
        // A JSON list (Serve:Recipients:0, :1, ...) or one comma-separated value (handy in XSEND_SERVE__RECIPIENTS).
        for (int i = layers.Count - 1; i >= 0; i--)
        {
            ConfigLayer layer = layers[i];
            var texts = new List<string>();
            if (layer.Get(key) is { } single)
                texts.AddRange(single.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            for (int n = 0; n < MaxListEntries && layer.Get($"{key}:{n.ToString(CultureInfo.InvariantCulture)}") is { } item; n++)
                texts.Add(item.Trim());
            if (texts.Count == 0)
                continue;
            var jids = new List<Jid>();
            foreach (string text in texts.Distinct(StringComparer.Ordinal))
            {
                if (!Jid.TryParse(text, out Jid? jid, out string? error))
                    throw Invalid(layer, key, $"'{text}' is not a JID ({error})");
                if (rooms && (jid.Local is null || !jid.IsBare))
                    throw Invalid(layer, key, $"'{text}' is not a bare room@service address");
                jids.Add(jid);
            }
            return jids;
        }
        return [];
    }

    private static string? ReadSecret(IReadOnlyList<ConfigLayer> layers, string inlineKey, string fileKey, CancellationToken cancellationToken)
    {
        for (int i = layers.Count - 1; i >= 0; i--)
        {
            ConfigLayer layer = layers[i];
            if (layer.Get(inlineKey) is { Length: > 0 } inline)
                return inline;
            if (layer.Get(fileKey) is { } fileText && fileText.Trim().Length > 0)
            {
                string path = layer.ResolvePath(fileKey, fileText);
                string secret;
                try
                {
                    secret = new System.Text.UTF8Encoding(false).GetString(LocalFile.Read(path, MaxSecretFileBytes, cancellationToken)).TrimStart('\uFEFF').TrimEnd('\r', '\n');
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or TimeoutException)
                {
                    throw Invalid(layer, fileKey, $"cannot read {path}: {ex.Message}");
                }
                return secret.Length > 0 ? secret : throw Invalid(layer, fileKey, $"{path} is empty");
            }
        }
        return null;
    }

    private static bool ReadBool(IReadOnlyList<ConfigLayer> layers, string key)
    {
        if (Find(layers, key) is not (string text, ConfigLayer layer))
            return false;
        return bool.TryParse(text.Trim(), out bool value) ? value : throw Invalid(layer, key, $"'{text}' is not true or false");
    }

    private static long ReadNumber(IReadOnlyList<ConfigLayer> layers, string key, long min, long max, long defaultValue)
    {
        if (Find(layers, key) is not (string text, ConfigLayer layer))
            return defaultValue;
        return long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value >= min && value <= max
            ? value
            : throw Invalid(layer, key, $"must be a whole number from {min} to {max}, not '{text}'");
    }

    private static (string Value, ConfigLayer Layer)? Find(IReadOnlyList<ConfigLayer> layers, string key)
    {
        for (int i = layers.Count - 1; i >= 0; i--)
        {
            if (layers[i].Get(key) is { } value)
                return (value, layers[i]);
        }
        return null;
    }

    private static CliException Invalid(ConfigLayer layer, string key, string problem) => new(ExitCodes.Config, $"invalid {layer.Describe(key)}: {problem}");
}
