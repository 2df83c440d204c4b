using System.Diagnostics;
using XSend.Cli.Configuration;
using XSend.Cli.Failures;
using XSend.Cli.Input;
using XSend.Cli.Output;
using XSend.Xmpp;
using XSend.Xmpp.Logging;
using XSend.Xmpp.Tls;

namespace XSend.Cli.Commands;

/// <summary>Sends one alert: loads settings, reads the body, runs the single-shot client, reports.</summary>
internal static class SendAction
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs the send; returns the exit code. Success prints nothing.</summary>
    public static async Task<int> RunAsync(
        SendRequest request, Stream stdin, TextWriter stdout, TextWriter stderr, CliEnvironment environment,
        CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var narrator = request.Verbose ? new StepNarrator(stderr, clock) : null;
        try
        {
            if (request.Recipient.StartsWith('-'))
                throw new CliException(ExitCodes.Usage, $"unknown option '{request.Recipient}' (see 'xsend --help')");
            if (request.PasswordOnCommandLine)
            {
                stderr.WriteLine($"xsend: warning: --password is visible to other users in ps and shell history; "
                    + $"prefer --password-file or {ConfigKeys.EnvironmentName(ConfigKeys.Password)}");
            }
            SenderSettings settings = SettingsLoader.Load(environment, request.ConfigPath, request.SettingOverrides, stderr);
            if (!Jid.TryParse(request.Recipient, out Jid? recipient, out string? recipientError))
                throw new CliException(ExitCodes.DataError, $"invalid recipient '{request.Recipient}': {recipientError}");

            TimeSpan timeout = request.Timeout ?? settings.Timeout ?? DefaultTimeout;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            string body;
            try
            {
                body = await MessageBodyReader.ReadAsync(request.Words, stdin, environment.StdinIsTerminal, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new CliException(ExitCodes.TempFail, $"timed out after {timeout.TotalSeconds:0.#} s while reading the message from stdin");
            }

            if (request.AllowPlaintext)
                stderr.WriteLine("xsend: warning: --allow-plaintext: the connection may be unencrypted");
            var options = new XmppClientOptions
            {
                Tls = request.AllowPlaintext ? TlsRequirement.Optional : TlsRequirement.Required,
                TrustedCertificates = settings.TrustedCertificates,
                ResourcePrefix = settings.ResourcePrefix,
                ProtocolLogger = request.Debug ? new TextWriterProtocolLogger(stderr) : null,
                Progress = narrator,
            };
            TimeSpan remaining = timeout - clock.Elapsed;
            var sender = new SingleShotSender(settings.Account, settings.Password, options)
            {
                Server = settings.Server,
                Timeout = remaining > TimeSpan.Zero ? remaining : TimeSpan.FromMilliseconds(1),
            };
            string id = await sender.SendAsync(new OutgoingMessage(recipient, body), cancellationToken).ConfigureAwait(false);
            narrator?.Write($"done: message {id} to {recipient} accepted by the server");
            return ExitCodes.Ok;
        }
        catch (Exception ex)
        {
            (int code, string message) = FailureClassifier.Classify(ex);
            stderr.WriteLine($"xsend: {message}");
            if (request.Verbose)
                stderr.WriteLine(ex.ToString());
            return code;
        }
    }
}
