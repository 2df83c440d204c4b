using XSend.Xmpp.Errors;
using XSend.Xmpp.Negotiation;
using XSend.Xmpp.Protocol;

namespace XSend.Xmpp;

// The login: the Negotiator's login steps (SASL2 or SASL, resumption, bind, stream management).
public sealed partial class XmppClient
{
    /// <summary>
    /// Authenticates with the strongest mechanism both sides support (SASL2 when offered, with
    /// Bind2 and FAST riding along), binds a unique resource and enables stream management when
    /// offered. Sends no presence.
    /// </summary>
    /// <exception cref="XmppAuthenticationException">The credentials were rejected, or the server could not prove itself.</exception>
    /// <exception cref="XmppStanzaException">Binding was refused.</exception>
    public async Task AuthenticateAsync(string password, CancellationToken cancellationToken = default) =>
        await AuthenticateAsync(password, resume: null, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Authenticates, then resumes the XEP-0198 session <paramref name="resume"/> instead of
    /// binding when it is given and the server offers stream management (not with SASL2, where
    /// Bind2 sets the session up). Returns whether the session was resumed; when the server
    /// refuses, a new session is bound and the caller resends what was not confirmed.
    /// </summary>
    internal async Task<bool> AuthenticateAsync(string password, StreamResumption? resume, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (Features is null)
            throw new InvalidOperationException("Connect before authenticating.");
        if (Account.Local is null)
            throw new InvalidOperationException("The account JID has no localpart to log in with.");

        _negotiation.Password = password;
        _negotiation.Resume = resume;
        _negotiation.RequestResumption = RequestResumption;
        try
        {
            await Negotiator.RunAsync(_negotiation, NegotiationPhase.Login, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _negotiation.Password = null;
            OnNegotiated(_negotiation.State);
        }
        if (!_negotiation.State.StreamManagement.Resumed)
            return false;
        await ResendUnconfirmedAsync(_negotiation.State, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Ask the server to keep the session resumable (XEP-0198 §5). The sender does, to resume after
    /// a drop; a session that sends presence (listen) does not, or a killed one would stay
    /// "available" on the server, taking its messages, until the server gives up on it.
    /// </summary>
    internal bool RequestResumption { get; set; }

    /// <summary>Whether the login used SASL2 (XEP-0388).</summary>
    public bool UsedSasl2 => _negotiation.State.UsedSasl2;

    /// <summary>Whether the login used a stored FAST token (XEP-0484) instead of the password.</summary>
    public bool UsedFastToken => _negotiation.State.UsedFastToken;

    /// <summary>Whether the resource was bound inside the SASL2 request (XEP-0386 Bind2).</summary>
    public bool UsedBind2 => _negotiation.State.UsedBind2;

    /// <summary>The negotiation steps that ran on this connection, in order (see <see cref="Negotiator.Steps"/>).</summary>
    internal IReadOnlyList<string> NegotiationSteps => _negotiation.StepsRun;
}
