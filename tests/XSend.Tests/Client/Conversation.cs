using XSend.Tests.Fakes;
using XSend.Xmpp;

namespace XSend.Tests.Client;

/// <summary>Runs a client against a scripted server over an in-memory connection.</summary>
internal static class Conversation
{
    public static readonly Jid Alice = Jid.Parse("alice@xsend.test");
    public static readonly Jid Bob = Jid.Parse("bob@xsend.test");

    /// <summary>Runs both sides; returns the client's exception (or null) and the server's view.</summary>
    public static async Task<(Exception? ClientError, ScriptedServer Server)> RunAsync(
        Func<ScriptedServer, Task> script, Func<XmppClient, Task> clientSteps, XmppClientOptions? options = null, Jid? account = null)
    {
        (Stream clientEnd, Stream serverEnd) = DuplexPipe.Create();
        var server = new ScriptedServer(serverEnd);
        Task serverTask = Task.Run(async () =>
        {
            try
            {
                await script(server);
            }
            catch (ClientClosedException)
            {
            }
        });

        Exception? clientError = null;
        await using (var client = new XmppClient(account ?? Alice, options ?? new XmppClientOptions { TrustedCertificates = TestCertificates.TrustedCa }))
        {
            try
            {
                using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                await client.ConnectAsync(clientEnd, guard.Token);
                await clientSteps(client).WaitAsync(guard.Token);
            }
            catch (Exception ex)
            {
                clientError = ex;
            }
        }
        serverEnd.Dispose();
        await serverTask.WaitAsync(TimeSpan.FromSeconds(20));
        return (clientError, server);
    }

    /// <summary>The standard opening: features with STARTTLS, TLS, then SASL features.</summary>
    public static async Task SecureAsync(ScriptedServer server, string mechanisms = "<mechanism>SCRAM-SHA-256</mechanism>")
    {
        await server.OpenStreamAsync(ScriptedServer.StartTlsFeature);
        await server.StartTlsAsync(TestCertificates.Server);
        await server.OpenStreamAsync($"<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>{mechanisms}</mechanisms>");
    }

    /// <summary>
    /// TLS, SCRAM-SHA-1 with <paramref name="password"/>, bind and stream management: a session
    /// ready for the client's first message.
    /// </summary>
    public static async Task EstablishSessionAsync(ScriptedServer server, string password, string extraFeatures = "", string enabled = NotResumable)
    {
        await SecureAsync(server, "<mechanism>SCRAM-SHA-1</mechanism>");
        await AuthenticatedSessionAsync(server, new ScramServer("SCRAM-SHA-1", System.Security.Cryptography.HashAlgorithmName.SHA1, password), extraFeatures, enabled);
    }

    /// <summary>After the SASL features went out: SCRAM checked by <paramref name="scram"/>, bind and stream management.</summary>
    public static async Task AuthenticatedSessionAsync(ScriptedServer server, ScramServer scram, string extraFeatures = "", string enabled = NotResumable)
    {
        await server.AuthenticateScramAsync(scram);
        await server.OpenStreamAsync(SessionFeatures + extraFeatures);
        await server.BindAsync();
        // The sender asks for a resumable session (resume='true'); other uses of the client do not.
        await server.ExpectAsync("<enable xmlns='urn:xmpp:sm:3'*/>");
        await server.SendAsync(enabled);
    }

    /// <summary>
    /// A new connection that logs in (TLS, SCRAM-SHA-1) and asks to resume session
    /// <paramref name="previousId"/>: the client's h is captured as <c>{clientH}</c>; the caller answers.
    /// </summary>
    public static async Task LoginToResumeAsync(ScriptedServer server, string password, string previousId)
    {
        await SecureAsync(server, "<mechanism>SCRAM-SHA-1</mechanism>");
        await server.AuthenticateScramAsync(new ScramServer("SCRAM-SHA-1", System.Security.Cryptography.HashAlgorithmName.SHA1, password));
        await server.OpenStreamAsync(SessionFeatures);
        await server.ExpectAsync($"<resume xmlns='urn:xmpp:sm:3' previd='{previousId}' h='{{clientH}}'/>");
    }

    /// <summary>&lt;enabled/&gt; without resumption.</summary>
    public const string NotResumable = "<enabled xmlns='urn:xmpp:sm:3'/>";

    public const string SessionFeatures =
        "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/><sm xmlns='urn:xmpp:sm:3'/>";

    public const string MessagePattern =
        "<message type='chat' id='{msgId}' to='bob@xsend.test'>*</message>";
}
