namespace XSend.Xmpp.Sasl;

/// <summary>HT-SHA-256-NONE: a FAST token login without channel binding.</summary>
public sealed class HtSha256NoneMechanism(string username, string token)
    : HashedTokenMechanism(MechanismName, username, token, [])
{
    /// <summary>The mechanism name.</summary>
    public const string MechanismName = "HT-SHA-256-NONE";
}
