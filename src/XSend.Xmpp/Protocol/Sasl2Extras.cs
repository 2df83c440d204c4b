namespace XSend.Xmpp.Protocol;

/// <summary>What rides along in a SASL2 &lt;authenticate/&gt; besides the mechanism's data.</summary>
/// <param name="Software">The user agent's software name.</param>
/// <param name="UserAgentId">A stable id for this installation (XEP-0388 §2.3), if known.</param>
/// <param name="BindTag">The Bind2 tag, when binding inline.</param>
/// <param name="EnableStreamManagement">Enable XEP-0198 inside the Bind2 request.</param>
/// <param name="UsingFastToken">This attempt logs in with a FAST token.</param>
/// <param name="RequestTokenFor">Ask for a FAST token for this mechanism.</param>
internal sealed record Sasl2Extras(string Software, Guid? UserAgentId, string? BindTag, bool EnableStreamManagement,
    bool UsingFastToken, string? RequestTokenFor);
