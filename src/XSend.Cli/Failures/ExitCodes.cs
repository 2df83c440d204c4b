namespace XSend.Cli.Failures;

/// <summary>Process exit codes, following sysexits(3). Documented in the README and in --help.</summary>
internal static class ExitCodes
{
    /// <summary>The server accepted the message (acked where stream management is offered).</summary>
    public const int Ok = 0;

    /// <summary>EX_USAGE: bad arguments, or no message text.</summary>
    public const int Usage = 64;

    /// <summary>EX_DATAERR: an invalid recipient JID or message body.</summary>
    public const int DataError = 65;

    /// <summary>EX_NOHOST: the server's host name does not resolve, or the server does not serve the domain.</summary>
    public const int NoHost = 68;

    /// <summary>EX_UNAVAILABLE: connection refused, or a permanent server-side error.</summary>
    public const int Unavailable = 69;

    /// <summary>EX_SOFTWARE: a bug in xsend.</summary>
    public const int Software = 70;

    /// <summary>
    /// EX_CANTCREAT: the alert was NOT delivered and NOT queued: the outbox could not be written,
    /// or the message never fully arrived on stdin (timed out or interrupted while reading).
    /// Nothing will resend it; the caller must.
    /// </summary>
    public const int NotQueued = 73;

    /// <summary>EX_TEMPFAIL: timeout, dropped connection, server shutting down; try again later.</summary>
    public const int TempFail = 75;

    /// <summary>EX_PROTOCOL: the server broke the XMPP protocol.</summary>
    public const int Protocol = 76;

    /// <summary>EX_NOPERM: authentication failed or not authorized.</summary>
    public const int NoPermission = 77;

    /// <summary>EX_CONFIG: missing or invalid settings.</summary>
    public const int Config = 78;

    /// <summary>TLS failure: the server's certificate is not trusted, or the server offers no TLS.</summary>
    public const int Tls = 79;

    /// <summary>--wait-receipt: the server accepted the message, but the recipient sent no receipt in time.</summary>
    public const int NoReceipt = 80;

    /// <summary>Several messages (recipients, or --line-mode lines): some were accepted and some not; each failure is named on stderr.</summary>
    public const int PartialFailure = 81;

    /// <summary>The table shown by --help and the README.</summary>
    public static readonly (int Code, string Meaning)[] Table =
    [
        (Ok, "accepted by the server (acked where stream management is offered)"),
        (Usage, "usage error: bad arguments or no message text"),
        (DataError, "bad data: invalid recipient JID or message body"),
        (NoHost, "host unknown: the server name does not resolve or the server does not serve the domain"),
        (Unavailable, "service unavailable: connection refused or a permanent server error"),
        (Software, "internal error in xsend"),
        (NotQueued, "not delivered and NOT queued: the outbox could not be written, or stdin timed out or was interrupted before the message was read; retry yourself"),
        (TempFail, "temporary failure: timeout or connection dropped; the alert was queued in the outbox (or, with --no-outbox, try again)"),
        (Protocol, "protocol error: the server broke XMPP"),
        (NoPermission, "authentication failed or not authorized"),
        (Config, "configuration error: missing or invalid setting, or the TLS ports mixed up (direct TLS and STARTTLS)"),
        (Tls, "TLS failure: certificate not trusted or TLS not offered"),
        (NoReceipt, "--wait-receipt: accepted by the server, but no delivery receipt in time (or the wait was interrupted); not queued"),
        (PartialFailure, "several messages (recipients, or --line-mode lines): some were accepted, others not (each failure named on stderr; the temporary ones queued)"),
    ];
}
