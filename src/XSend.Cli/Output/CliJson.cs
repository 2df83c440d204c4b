using System.Text.Json.Serialization;

namespace XSend.Cli.Output;

/// <summary>One received message, as a JSON line from <c>xsend listen --json</c>.</summary>
internal sealed record ListenLine(string? From, string Type, string? Id, string? Body, string? Subject, DateTimeOffset? Delay);

/// <summary>One roster entry, from <c>xsend contact list --json</c>.</summary>
internal sealed record ContactLine(string Jid, string? Name, string Subscription, string? Ask);

/// <summary>The report of <c>xsend check --json</c>.</summary>
internal sealed record CheckReport(
    string Account,
    string BoundJid,
    string Server,
    string? Address,
    IReadOnlyList<string> Attempts,
    string Srv,
    CheckTls? Tls,
    CheckSasl Sasl,
    CheckFeatures Features,
    long ElapsedMs);

/// <summary>The secured channel.</summary>
internal sealed record CheckTls(string Version, string? Cipher, string? Subject, string? Issuer, DateTimeOffset? NotAfter, string? Pin);

/// <summary>Authentication; Sasl2 and Bind2 say whether the login used XEP-0388 and XEP-0386.</summary>
internal sealed record CheckSasl(IReadOnlyList<string> Offered, string? Used, string? ChannelBinding, bool Sasl2, bool Bind2, CheckFast Fast);

/// <summary>
/// FAST (XEP-0484): the token mechanisms offered, whether this login used a stored token, when the
/// stored token expires, and whether the password was checked (not when a token logged in).
/// </summary>
internal sealed record CheckFast(IReadOnlyList<string> Offered, bool TokenUsed, DateTimeOffset? TokenExpiry, bool PasswordVerified);

/// <summary>What the server supports.</summary>
internal sealed record CheckFeatures(bool StreamManagement, bool ClientStateIndication, bool Carbons, bool Ping, string? Upload, string? Muc);

/// <summary><c>check --json</c> when the check failed: the exit code and the reason, as the one stderr line says.</summary>
internal sealed record CheckFailure(bool Ok, int ExitCode, string Error);

/// <summary>Source-generated JSON for CLI output: no reflection, so Native AOT stays warning-free.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ListenLine))]
[JsonSerializable(typeof(ContactLine))]
[JsonSerializable(typeof(CheckReport))]
[JsonSerializable(typeof(CheckFailure))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
