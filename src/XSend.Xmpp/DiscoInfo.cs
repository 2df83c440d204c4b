namespace XSend.Xmpp;

/// <summary>What an entity says about itself (XEP-0030 disco#info).</summary>
/// <param name="Identities">category/type pairs, for example conference/text.</param>
/// <param name="Features">The feature namespaces it supports.</param>
public sealed record DiscoInfo(IReadOnlyList<(string Category, string Type)> Identities, IReadOnlyList<string> Features);
