using XSend.Xmpp.Negotiation;
using XSend.Xmpp.Protocol;

namespace XSend.Xmpp;

// Until the session layer (#13) takes them over: the stream-management counters set from the
// outcome of negotiation, exactly as the login code used to set them.
public sealed partial class XmppClient
{
    private string? _resumeId;
    private ServerEndpoint? _resumeLocation;

    private partial void OnNegotiated(NegotiationState state)
    {
        StreamManagementOutcome sm = state.StreamManagement;
        if (sm.Resumed && sm.Previous is { } resume)
        {
            _resumeId = resume.Id;
            _resumeLocation = resume.Location;
            _inbound = resume.Inbound;
            // XEP-0198 §5: the server's h says exactly what it handled; the rest is sent again,
            // counted from h as the server counts it.
            _outbound = _acked = sm.ServerHandled!.Value;
            _sentMessageIds.UnionWith(resume.SentMessageIds);
            return;
        }
        if (sm.Previous is { } failed && sm.ServerHandled is uint h)
        {
            // XEP-0198 §5: the h of <failed/> confirms the old session's messages up to it.
            var unacked = failed.Unacked.Where(u => u.Sequence > h && u.MessageId is not null).Select(u => u.MessageId!).ToHashSet(StringComparer.Ordinal);
            _confirmedBeforeResumptionFailed.UnionWith(failed.SentMessageIds.Where(id => !unacked.Contains(id)));
        }
        if (sm.Enabled)
        {
            // XEP-0198 §4: both counters start at zero once enabled.
            _outbound = _inbound = _acked = 0;
            if (sm.ResumeId is not null)
            {
                _resumeId = sm.ResumeId;
                _resumeLocation = sm.ResumeLocation;
            }
        }
    }

    private partial async Task ResendUnconfirmedAsync(NegotiationState state, CancellationToken cancellationToken)
    {
        StreamManagementOutcome sm = state.StreamManagement;
        foreach (UnackedStanza stanza in sm.Previous!.Unacked.Where(u => u.Sequence > sm.ServerHandled!.Value).ToList())
            await WriteStanzaAsync(stanza.Xml, cancellationToken, stanza.MessageId).ConfigureAwait(false);
    }
}
