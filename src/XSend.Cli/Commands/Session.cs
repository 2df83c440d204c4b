using System.Diagnostics;
using XSend.Cli.Configuration;
using XSend.Cli.Output;
using XSend.Xmpp;
using XSend.Xmpp.Logging;
using XSend.Xmpp.Tls;

namespace XSend.Cli.Commands;

/// <summary>Settings, client options and the deadline for one run, from the common options.</summary>
internal sealed record Session(SenderSettings Settings, XmppClientOptions ClientOptions, TimeSpan Timeout, StepNarrator? Narrator)
{
    /// <summary>How long to wait for a delivery receipt (--wait-receipt).</summary>
    public TimeSpan ReceiptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Loads settings (warning on stderr where due) and builds the client options.</summary>
    public static Session Prepare(ConnectionRequest request, CliEnvironment environment, TextWriter stderr, Stopwatch clock)
    {
        if (request.PasswordOnCommandLine)
        {
            stderr.WriteLine("xsend: warning: --password is visible to other users in ps and shell history; "
                + $"prefer --password-file or {ConfigKeys.EnvironmentName(ConfigKeys.Password)}");
        }
        SenderSettings settings = SettingsLoader.Load(environment, request.ConfigPath, request.SettingOverrides, stderr);
        if (request.AllowPlaintext)
            stderr.WriteLine("xsend: warning: --allow-plaintext: the connection may be unencrypted");

        if (request.Insecure)
        {
            stderr.WriteLine("xsend: warning: --insecure: the server's certificate is NOT verified; anyone on the path can "
                + "impersonate the server and read the alert (PLAIN is refused; pin the key with --pin instead)");
        }

        // The system roots play no part with a CA file, pins or --insecure: do not pay for loading them.
        if (environment.LimitTrustStore && (settings.CaFilePath is not null || settings.Pins is { Count: > 0 } || request.Insecure))
            Platform.ProcessTrustStore.LimitTo(settings.CaFilePath);

        var narrator = request.Verbose ? new StepNarrator(stderr, clock) : null;
        var options = new XmppClientOptions
        {
            Tls = request.AllowPlaintext ? TlsRequirement.Optional : TlsRequirement.Required,
            TrustedCertificates = settings.TrustedCertificates,
            PinnedKeys = settings.Pins,
            AcceptAnyCertificate = request.Insecure,
            RequireChannelBinding = settings.RequireChannelBinding,
            DnsServer = settings.DnsServer,
            ResourcePrefix = settings.ResourcePrefix,
            ProtocolLogger = request.Debug ? new TextWriterProtocolLogger(stderr) : null,
            Progress = narrator,
            ResolveHost = environment.ResolveHost,
        };
        return new Session(settings, options, request.Timeout ?? settings.Timeout ?? DefaultTimeout, narrator);
    }

    /// <summary>The server to dial, or <see langword="null"/> to find it by SRV records.</summary>
    public ServerEndpoint? Server => Settings.Server;
}
