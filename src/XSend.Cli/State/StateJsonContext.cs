using System.Text.Json.Serialization;

namespace XSend.Cli.State;

/// <summary>fast-tokens.json: per account, each pooled SASL2 user agent's XEP-0484 token.</summary>
internal sealed class FastTokenDocument
{
    /// <summary>Bare JID → user-agent id → token.</summary>
    public Dictionary<string, Dictionary<string, StoredFastToken>> Accounts { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One stored FAST token.</summary>
internal sealed class StoredFastToken
{
    public string? Mechanism { get; set; }

    public string? Token { get; set; }

    public DateTimeOffset Expiry { get; set; }
}

/// <summary>mechanisms.json: per account, the strongest SASL mechanism it logged in with.</summary>
internal sealed class MechanismDocument
{
    /// <summary>Bare JID → mechanism name.</summary>
    public Dictionary<string, string> Accounts { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>Source-generated (Native AOT safe) JSON for the state files.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(FastTokenDocument))]
[JsonSerializable(typeof(MechanismDocument))]
internal sealed partial class StateJsonContext : JsonSerializerContext;
