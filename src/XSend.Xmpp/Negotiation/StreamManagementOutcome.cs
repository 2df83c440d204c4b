using XSend.Xmpp.Protocol;

namespace XSend.Xmpp.Negotiation;

/// <summary>What negotiation settled about XEP-0198 stream management.</summary>
/// <param name="Enabled">Stanzas are counted and acknowledged (enabled, or resumed).</param>
/// <param name="ResumeId">The SM-ID a later connection resumes with (§5), when the server made the session resumable.</param>
/// <param name="ResumeLocation">Where the server prefers that later connection, if it said.</param>
/// <param name="Previous">The earlier session this login tried to resume, if any.</param>
/// <param name="Resumed">Whether <paramref name="Previous"/> was resumed (&lt;resumed/&gt;).</param>
/// <param name="ServerHandled">
/// The server's h for <paramref name="Previous"/>: from &lt;resumed/&gt;, or from &lt;failed/&gt; when it gave one.
/// </param>
internal sealed record StreamManagementOutcome(
    bool Enabled, string? ResumeId, ServerEndpoint? ResumeLocation, StreamResumption? Previous, bool Resumed, uint? ServerHandled)
{
    /// <summary>Not negotiated (yet), or refused.</summary>
    public static StreamManagementOutcome None { get; } = new(false, null, null, null, false, null);
}
