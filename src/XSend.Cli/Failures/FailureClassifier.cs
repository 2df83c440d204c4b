using XSend.Xmpp.Errors;

namespace XSend.Cli.Failures;

/// <summary>The one place that turns an exception into an exit code and a one-line message.</summary>
internal static class FailureClassifier
{
    // RFC 6120 §4.9.3: conditions that mean the client (or its XML) was at fault.
    private static readonly HashSet<string> ProtocolStreamConditions = new(StringComparer.Ordinal)
    {
        "bad-format", "bad-namespace-prefix", "invalid-namespace", "invalid-xml", "not-well-formed",
        "restricted-xml", "unsupported-encoding", "unsupported-feature", "unsupported-stanza-type", "unsupported-version",
    };

    public static (int ExitCode, string Message) Classify(Exception exception) => exception switch
    {
        CliException cli => (cli.ExitCode, cli.Message),
        XmppTimeoutException timeout => (ExitCodes.TempFail, timeout.Message),
        XmppConnectionException connection => (connection.Failure switch
        {
            ConnectionFailure.HostNotFound => ExitCodes.NoHost,
            ConnectionFailure.Refused => ExitCodes.Unavailable,
            _ => ExitCodes.TempFail,
        }, connection.Message),
        // The core reports which TLS start the port speaks; the advice names our options.
        XmppTlsException { Failure: TlsFailure.PortSpeaksStartTls } mixup => (ExitCodes.Config, mixup.Message + "; drop --direct-tls, or use the direct TLS port (usually 5223)"),
        XmppTlsException { Failure: TlsFailure.PortSpeaksDirectTls } mixup => (ExitCodes.Config, mixup.Message + "; use --direct-tls, or the STARTTLS port (usually 5222)"),
        XmppTlsException tls => (tls.IsTransient ? ExitCodes.TempFail : ExitCodes.Tls, tls.Failure == TlsFailure.Untrusted ? $"{tls.Message}; trust its CA with --ca-file or its key with --pin" : tls.Message),
        XmppFreshLoginRequiredException fresh => (ExitCodes.TempFail, fresh.Message),
        XmppAuthenticationException auth => (auth.IsTransient ? ExitCodes.TempFail : ExitCodes.NoPermission, auth.Message),
        XmppStreamException stream => (StreamErrorCode(stream), stream.Message),
        XmppStanzaException { StanzaKind: StanzaKind.Presence } room => RoomJoinFailure(room),
        XmppStanzaException stanza => (StanzaErrorCode(stanza), stanza.Message + StanzaHint(stanza)),
        XmppProtocolException protocol => (ExitCodes.Protocol, $"protocol error: {protocol.Message}"),
        OperationCanceledException => (ExitCodes.TempFail, "interrupted before the server accepted the message"),
        _ => (ExitCodes.Software, $"internal error: {exception.GetType().Name}: {exception.Message}"),
    };

    // XEP-0045 §7.2: each way a room refuses a join, in words an operator can act on.
    private static (int, string) RoomJoinFailure(XmppStanzaException error)
    {
        string room = error.From is { } from && from.IndexOf('/') is int slash and >= 0 ? from[..slash] : error.From ?? "the room";
        (int code, string why) = error.Condition switch
        {
            "conflict" => (ExitCodes.Unavailable, "the nickname is in use (also with a suffix); choose another with --nick"),
            "registration-required" => (ExitCodes.NoPermission, "the room is members-only and this account is not a member"),
            "not-authorized" => (ExitCodes.NoPermission, "the room needs a password, or --room-password is wrong"),
            "forbidden" => (ExitCodes.NoPermission, "this account is banned from the room"),
            "item-not-found" or "not-allowed" or "remote-server-not-found" => (ExitCodes.Unavailable, "the room does not exist"),
            "service-unavailable" => (ExitCodes.TempFail, "the room is full or unavailable"),
            _ => (StanzaErrorCode(error), error.Condition),
        };
        return (code, $"cannot join room {room}: {why}" + (error.Text is { } text && text != why ? $" ({text})" : ""));
    }

    /// <summary>A groupchat message the room bounced: most often we may not speak there.</summary>
    public static (int ExitCode, string Message) ClassifyRoomMessage(string room, XmppStanzaException error) =>
        error.Condition is "forbidden" or "not-acceptable" or "not-allowed"
            ? (ExitCodes.NoPermission, $"not allowed to speak in room {room} (a moderated room without voice?): {error.Condition}")
            : Classify(error);

    private static int StreamErrorCode(XmppStreamException error) => error.Condition switch
    {
        _ when error.Unverified => ExitCodes.TempFail,
        "host-unknown" or "host-gone" => ExitCodes.NoHost,
        "not-authorized" => ExitCodes.NoPermission,
        _ when error.IsTransient => ExitCodes.TempFail,
        _ when ProtocolStreamConditions.Contains(error.Condition) => ExitCodes.Protocol,
        _ => ExitCodes.Unavailable,
    };

    private static int StanzaErrorCode(XmppStanzaException error) => error.Condition switch
    {
        "jid-malformed" => ExitCodes.DataError,
        _ when error.IsTransient => ExitCodes.TempFail, // RFC 6120 §8.3.2: type 'wait'
        _ => error.ErrorType switch
        {
            StanzaErrorType.Auth => ExitCodes.NoPermission,
            StanzaErrorType.Modify => ExitCodes.DataError,
            _ => ExitCodes.Unavailable,
        },
    };

    private static string StanzaHint(XmppStanzaException error) =>
        error.StanzaKind == StanzaKind.Message && error.Condition is "service-unavailable" or "subscription-required"
            ? $"; check the address, or, if the server only delivers between contacts, run: xsend contact add {error.From ?? "JID"}"
            : "";
}
