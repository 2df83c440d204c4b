using System.Diagnostics;
using System.Security.Authentication;
using System.Text.Json;
using XSend.Cli.Failures;
using XSend.Cli.Output;
using XSend.Xmpp;
using XSend.Xmpp.Errors;
using XSend.Xmpp.Tls;

namespace XSend.Cli.Commands;

/// <summary>
/// <c>xsend check [--json]</c>: connect, authenticate and report what an ops engineer needs when
/// alerts stop arriving. Failures exit exactly as a send would.
/// </summary>
internal static class CheckAction
{
    private const int MaxItemsProbed = 20;

    /// <summary>Probes and prints the report; a failure throws (<see cref="CheckCommand"/> reports it, also as JSON).</summary>
    public static async Task<int> RunAsync(
        bool json, ConnectionRequest request, TextWriter stdout, TextWriter stderr, CliEnvironment environment, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using RunContext run = RunContext.Prepare(request, environment, stderr, clock);
        CheckReport report = await AccountSession.RunAsync(run, clock, stderr,
            (client, token) => ProbeAsync(client, run, clock, token), cancellationToken).ConfigureAwait(false);
        stdout.WriteLine(json ? JsonSerializer.Serialize(report, CliJsonContext.Default.CheckReport) : Describe(report));
        return ExitCodes.Ok;
    }

    private static async Task<CheckReport> ProbeAsync(XmppClient client, RunContext run, Stopwatch clock, CancellationToken token)
    {
        // RFC 6120 §10.3.3: an IQ without 'to' would ask the account, not the server.
        string domain = run.Settings.Account.Domain;
        DiscoInfo server = await client.DiscoverInfoAsync(domain, token).ConfigureAwait(false);
        string? muc = null;
        string? upload = null;
        foreach (string item in (await client.DiscoverItemsAsync(domain, token).ConfigureAwait(false)).Take(MaxItemsProbed))
        {
            try
            {
                DiscoInfo info = await client.DiscoverInfoAsync(item, token).ConfigureAwait(false);
                if (muc is null && info.Identities.Any(i => i.Category == "conference"))
                    muc = item;
                if (upload is null && info.Features.Contains("urn:xmpp:http:upload:0"))
                    upload = item;
            }
            catch (XmppStanzaException)
            {
                // An item that does not answer disco is simply not reported.
            }
        }

        CheckTls? tls = client.IsTlsProtected
            ? new CheckTls(client.TlsProtocol switch { SslProtocols.Tls13 => "TLS 1.3", SslProtocols.Tls12 => "TLS 1.2", var other => other.ToString() },
                client.TlsCipherSuite?.ToString(), client.ServerCertificate?.Subject, client.ServerCertificate?.Issuer,
                client.ServerCertificate is { } cert ? new DateTimeOffset(cert.NotAfter.ToUniversalTime(), TimeSpan.Zero) : null,
                client.ServerCertificate is { } pinned ? CertificatePin.Compute(pinned) : null)
            : null;
        return new CheckReport(
            run.Settings.Account.ToString(),
            client.BoundJid!.ToString(),
            run.Server?.ToString() ?? domain,
            client.RemoteEndPoint?.ToString(),
            client.ConnectionAttempts,
            client.LocatedBy ?? "skipped: explicit server",
            tls,
            new CheckSasl(client.OfferedMechanisms, client.Mechanism, client.ChannelBindingType, client.UsedSasl2, client.UsedBind2,
                new CheckFast(client.Features?.FastMechanisms ?? [], client.UsedFastToken,
                    run.ClientOptions.FastTokens?.Load(run.Settings.Account)?.Expiry, PasswordVerified: !client.UsedFastToken)),
            // The logged-in session's features: with Bind2, CSI is what the bind request could enable.
            new CheckFeatures(client.IsStreamManagementEnabled,
                client.UsedBind2 ? client.Features?.Bind2Features.Contains("urn:xmpp:csi:0") ?? false : client.Features?.ClientStateIndication ?? false,
                server.Features.Contains("urn:xmpp:carbons:2"), server.Features.Contains("urn:xmpp:ping"), upload, muc),
            clock.ElapsedMilliseconds);
    }

    private static string Describe(CheckReport r)
    {
        static string YesNo(bool value) => value ? "yes" : "no";
        string certificate = r.Tls?.Subject is null ? "none"
            : $"{r.Tls.Subject}, issued by {r.Tls.Issuer}, expires {r.Tls.NotAfter:yyyy-MM-dd} ({r.Tls.Pin})";
        // Most values are the server's (names, mechanisms, services): each line is made safe on its own.
        return string.Join(Environment.NewLine, ((string[])[
            $"account:      {r.Account} (bound as {r.BoundJid})",
            $"server:       {r.Server} (reached {r.Address ?? "?"}; {(r.Srv.Contains("SRV", StringComparison.Ordinal) ? r.Srv : $"SRV {r.Srv}")})",
            $"tried:        {string.Join(", ", r.Attempts)}",
            $"tls:          {(r.Tls is null ? "none" : $"{r.Tls.Version}, {r.Tls.Cipher}")}",
            $"certificate:  {certificate}",
            $"sasl:         offered {string.Join(", ", r.Sasl.Offered)}; used {r.Sasl.Used}{(r.Sasl.ChannelBinding is null ? "" : $" bound to {r.Sasl.ChannelBinding}")}",
            $"sasl2:        {(r.Sasl.Sasl2 ? $"yes, bind2 {YesNo(r.Sasl.Bind2)}, fast {(r.Sasl.Fast.Offered.Count == 0 ? "not offered" : string.Join(", ", r.Sasl.Fast.Offered))}" : "no")}",
            .. FastLines(r.Sasl.Fast),
            $"features:     stream management {YesNo(r.Features.StreamManagement)}, csi {YesNo(r.Features.ClientStateIndication)}, "
                + $"carbons {YesNo(r.Features.Carbons)}, ping {YesNo(r.Features.Ping)}, upload {r.Features.Upload ?? "no"}, muc {r.Features.Muc ?? "no"}",
            $"elapsed:      {r.ElapsedMs} ms"]).Select(Xmpp.Protocol.PrintableText.Sanitize));
    }

    private static IEnumerable<string> FastLines(CheckFast fast)
    {
        if (fast.TokenUsed)
        {
            yield return $"fast token:   logged in with a FAST token{(fast.TokenExpiry is { } expiry ? $" valid until {expiry.UtcDateTime:yyyy-MM-dd HH:mm} UTC" : "")}; "
                + "the password file was NOT verified (a wrong password goes unnoticed until the token expires or is revoked)";
        }
        else if (fast.TokenExpiry is { } issued)
        {
            yield return $"fast token:   the password was verified; the next runs log in with a FAST token valid until {issued.UtcDateTime:yyyy-MM-dd HH:mm} UTC";
        }
    }
}
