using System.Xml.Linq;
using XSend.Xmpp.Errors;
using XSend.Xmpp.Negotiation;
using XSend.Xmpp.Protocol;
using XSend.Xmpp.Session;

namespace XSend.Xmpp;

// The seam to the session layer (Session/): the client is the dispatcher's host, and the
// negotiation code reaches the stream-management state and the routing through these members.
public sealed partial class XmppClient : ISessionHost
{
    // Bounds every negotiation loop that skips stanzas unrelated to what it waits for.
    private const int MaxIncidentalStanzas = StanzaDispatcher.MaxIncidentalStanzas;

    private StanzaDispatcher? _dispatcher;
    private Messaging? _messaging;
    private Rooms? _roomService;

    /// <summary>The session's one router of inbound elements (created with the client, used once negotiated).</summary>
    internal StanzaDispatcher Dispatcher => _dispatcher ??= new StanzaDispatcher(this);

    private Messaging MessagingService => _messaging ??= new Messaging(this, Dispatcher);

    private Rooms RoomService => _roomService ??= new Rooms(this, Dispatcher);

    /// <summary>
    /// Messages and presences the server pushed that were not kept: nobody was receiving (a pure
    /// sender), or the caller fell so far behind that the oldest queued ones were dropped.
    /// </summary>
    public long DroppedStanzas => Dispatcher.DroppedStanzas;

    // XEP-0198 counters, kept by the dispatcher; negotiation sets them when it enables or resumes.
#pragma warning disable IDE1006 // the names negotiation uses
    private uint _inbound { get => Dispatcher.StreamManagement.Inbound; set => Dispatcher.StreamManagement.Inbound = value; }

    private uint _outbound { get => Dispatcher.StreamManagement.Outbound; set => Dispatcher.StreamManagement.Outbound = value; }

    private uint _acked { get => Dispatcher.StreamManagement.Acked; set => Dispatcher.StreamManagement.Acked = value; }

    private HashSet<string> _sentMessageIds => Dispatcher.StreamManagement.SentMessageIds;

    private HashSet<string> _confirmedBeforeResumptionFailed => Dispatcher.StreamManagement.ConfirmedBeforeResumptionFailed;
#pragma warning restore IDE1006

    /// <summary>Routes an element that arrived during negotiation and that negotiation was not waiting for.</summary>
    private Task HandleIncidentalAsync(XElement element, CancellationToken cancellationToken) => Dispatcher.RouteAsync(element, cancellationToken);

    /// <summary>Waits for the answer to an IQ already written, raising its error.</summary>
    private async Task<XElement> ReadIqResponseAsync(string id, CancellationToken cancellationToken)
    {
        XElement answer = await Dispatcher.AwaitIqAsync(id, cancellationToken).ConfigureAwait(false);
        return answer.Attribute("type")?.Value == "error" ? throw ParseStanzaError(answer) : answer;
    }

    private Task WriteStanzaAsync(string xml, CancellationToken cancellationToken, string? messageId = null) =>
        Dispatcher.WriteStanzaAsync(xml, cancellationToken, messageId);

    /// <summary>Whether message <paramref name="messageId"/> was written on this stream (or on the session it resumed).</summary>
    internal bool HasSent(string messageId) => Dispatcher.ReadStreamManagement(sm => sm.SentMessageIds.Contains(messageId));

    /// <summary>
    /// The messages the server acknowledged by stream management (XEP-0198 h): those written on
    /// this session and no longer unacked, and those an earlier session's h confirmed.
    /// </summary>
    internal IReadOnlySet<string> AckedMessageIds() => Dispatcher.ReadStreamManagement(sm =>
    {
        var acked = new HashSet<string>(sm.ConfirmedBeforeResumptionFailed, StringComparer.Ordinal);
        if (IsStreamManagementEnabled)
        {
            acked.UnionWith(sm.SentMessageIds);
            foreach (UnackedStanza stanza in sm.Unacked)
            {
                if (stanza.MessageId is { } id)
                    acked.Remove(id);
            }
        }
        return (IReadOnlySet<string>)acked;
    });

    /// <summary>
    /// The state a new connection needs to resume this session, or <see langword="null"/> when
    /// the server did not offer resumption (or the session never got that far).
    /// </summary>
    internal StreamResumption? Resumption => Dispatcher.ReadStreamManagement(sm =>
        IsStreamManagementEnabled && _resumeId is not null && BoundJid is not null
            ? new StreamResumption(_resumeId, _resumeLocation, BoundJid, sm.Inbound, sm.Acked, sm.Outbound, [.. sm.Unacked],
                new HashSet<string>(sm.SentMessageIds, StringComparer.Ordinal))
            : null);

    private void RequireSession()
    {
        if (BoundJid is null || _stream is null)
            throw new InvalidOperationException("Authenticate before sending or receiving.");
    }

    /// <summary>A fresh random stanza id.</summary>
    internal static string NewId() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));

    long? ISessionHost.MaxStanzaBytes => Features?.MaxStanzaBytes;

    bool ISessionHost.SendReceipts => _options.SendReceipts;

    TimeProvider ISessionHost.Time => _options.TimeProvider;

    void ISessionHost.SetStep(XmppStep step, string message) => SetStep(step, message);

    void ISessionHost.Report(string message) => Report(message);

    Task<XElement> ISessionHost.ReadElementAsync(CancellationToken cancellationToken) => ReadElementAsync(cancellationToken);

    Task ISessionHost.WriteAsync(string xml, CancellationToken cancellationToken) => WriteAsync(xml, cancellationToken);

    XmppStanzaException ISessionHost.ParseStanzaError(XElement stanza) => ParseStanzaError(stanza);

    void ISessionHost.Abort() => _connection.Close();

    // ---- The seam from negotiation: the stream-management counters set from its outcome ----

    private string? _resumeId;
    private ServerEndpoint? _resumeLocation;

    /// <summary>Sets the session's XEP-0198 counters from what negotiation settled (enabled, resumed, or a failed resumption's h).</summary>
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

    /// <summary>XEP-0198 §5: after &lt;resumed h/&gt;, sends again what the server's h did not count.</summary>
    private partial async Task ResendUnconfirmedAsync(NegotiationState state, CancellationToken cancellationToken)
    {
        StreamManagementOutcome sm = state.StreamManagement;
        foreach (UnackedStanza stanza in sm.Previous!.Unacked.Where(u => u.Sequence > sm.ServerHandled!.Value).ToList())
            await WriteStanzaAsync(stanza.Xml, cancellationToken, stanza.MessageId).ConfigureAwait(false);
    }
}
