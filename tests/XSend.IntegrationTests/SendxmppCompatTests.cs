using XSend.Xmpp;

namespace XSend.IntegrationTests;

/// <summary>
/// The sendxmpp drop-in: each invocation runs twice with the same arguments against the same
/// Prosody, first through the real sendxmpp 1.24 (Perl, Debian's package), then through xsend
/// invoked as <c>sendxmpp</c> (a symlink, as <c>ln -s xsend sendxmpp</c> makes it), and both
/// must deliver the same message to a live recipient. The real sendxmpp verifies the sandbox
/// certificate through <c>-t -a ca.pem</c> (it verifies with -t; without -a it would refuse
/// the private CA, as the last test shows); <c>-o xsend.test</c> names the domain because
/// <c>-j 127.0.0.1:PORT</c> is only where to connect.
/// </summary>
[Collection(ProsodyCollection.Name)]
public sealed class SendxmppCompatTests(ProsodyFixture prosody)
{
    private const string Sender = "sxfrom";
    private const string RealSendxmpp = "/usr/bin/sendxmpp";

    /// <summary>xsend under the name sendxmpp, in a directory of its own.</summary>
    private static readonly Lazy<string> Symlink = new(() =>
    {
        string dir = Directory.CreateTempSubdirectory("xsend-as-sendxmpp-").FullName;
        string link = Path.Combine(dir, "sendxmpp");
        File.CreateSymbolicLink(link, XsendProcess.BinaryPath);
        return link;
    });

    private string[] Account(int? port = null) =>
        ["-u", Sender, "-p", SandboxServerFixture.PasswordOf(Sender), "-j", $"127.0.0.1:{port ?? prosody.Port}", "-o", SandboxServerFixture.Domain];

    private string[] Tls => ["-t", "-a", prosody.CaFile];

    private static string To(int recipient) => $"sxto{recipient}@{SandboxServerFixture.Domain}";

    /// <summary>Runs the invocation through both programs in turn; after each, <paramref name="check"/> sees what arrived.</summary>
    private async Task BothDeliverAsync(
        string[] args, string? stdin, int recipient, Func<string, IReadOnlyList<ReceivedMessage>, Task> check, int messages = 1,
        IReadOnlyDictionary<string, string>? environment = null, Receiver? listener = null)
    {
        Receiver? own = listener is null ? await Receiver.OnlineAsync(prosody, $"sxto{recipient}") : null;
        Receiver receiver = listener ?? own!;
        try
        {
            foreach (string program in new[] { RealSendxmpp, Symlink.Value })
            {
                ProcessResult result = await XsendProcess.RunAsync(args, stdin, binary: program, environment: environment);
                Assert.True(result.ExitCode == 0, $"{program} exited {result.ExitCode}: {result.Stderr}");
                List<ReceivedMessage> arrived;
                try
                {
                    arrived = await receiver.ReceiveAsync(messages);
                }
                catch (OperationCanceledException)
                {
                    throw new Xunit.Sdk.XunitException($"{program} exited 0, but {messages} message(s) did not arrive within 30 s; its stderr: {result.Stderr}");
                }
                await check(program, arrived);
            }
            await receiver.AssertNothingMoreAsync(TimeSpan.FromMilliseconds(300));
        }
        finally
        {
            if (own is not null)
                await own.DisposeAsync();
        }
    }

    // The real sendxmpp sends stdin as read, final newline and all; xsend drops the final newline.
    private static string Body(ReceivedMessage message) => message.Body!.TrimEnd('\n');

    [Fact]
    public async Task Stdin_is_the_message()
    {
        await BothDeliverAsync([.. Tls, .. Account(), To(1)], "disk full on db1\n", 1, (program, got) =>
        {
            Assert.Equal("disk full on db1", Body(Assert.Single(got)));
            Assert.Equal("chat", got[0].Type);
            Assert.StartsWith($"{Sender}@{SandboxServerFixture.Domain}/", got[0].From, StringComparison.Ordinal);
            return Task.CompletedTask;
        });
    }

    [Fact]
    public async Task Message_file_with_m()
    {
        string file = Path.Combine(prosody.Directory, $"sx-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(file, "报警: load 42\nsecond line\n");

        await BothDeliverAsync([.. Tls, .. Account(), "-m", file, To(2)], null, 2, (_, got) =>
        {
            Assert.Equal("报警: load 42\nsecond line", Body(Assert.Single(got)));
            return Task.CompletedTask;
        });
    }

    [Fact]
    public async Task Subject_with_s()
    {
        await BothDeliverAsync([.. Tls, .. Account(), "-s", "disk alert", To(3)], "db1 at 99%", 3, (_, got) =>
        {
            Assert.Equal(("db1 at 99%", "disk alert"), (Body(Assert.Single(got)), got[0].Subject));
            return Task.CompletedTask;
        });
    }

    [Fact]
    public async Task Headline_with_l()
    {
        await BothDeliverAsync([.. Tls, .. Account(), "-l", To(4)], "headline alert", 4, (_, got) =>
        {
            Assert.Equal(("headline alert", "headline"), (Body(Assert.Single(got)), Assert.Single(got).Type));
            return Task.CompletedTask;
        });
    }

    [Fact]
    public async Task Interactive_i_sends_each_line()
    {
        await BothDeliverAsync([.. Tls, .. Account(), "-i", To(5)], "first line\nsecond line\n", 5, (_, got) =>
        {
            Assert.Equal(["first line", "second line"], got.Select(Body));
            return Task.CompletedTask;
        }, messages: 2);
    }

    [Fact]
    public async Task Direct_tls_with_e()
    {
        await BothDeliverAsync(["-e", "-a", prosody.CaFile, .. Account(prosody.DirectTlsPort), To(6)], "over direct TLS", 6, (_, got) =>
        {
            Assert.Equal("over direct TLS", Body(Assert.Single(got)));
            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// An account with an ASCII password, for the rc file tests: sendxmpp reads the rc file as
    /// UTF-8 and hands Authen::SASL characters, not bytes, so the sandbox's non-ASCII passwords
    /// fail there ("malformed-request"; on the command line they work, as bytes). Registered with
    /// the sandbox's own prosodyctl config, as scripts/prosody-sandbox.sh registers the others.
    /// </summary>
    private async Task<(string User, string Password)> AsciiAccountAsync()
    {
        string user = $"sxrc{Guid.NewGuid():N}"[..12];
        const string password = "rc-file-pw";
        ProcessResult registered = await XsendProcess.RunAsync(
            ["--config", Path.Combine(prosody.Directory, "prosody.cfg.lua"), "register", user, SandboxServerFixture.Domain, password], binary: "prosodyctl");
        Assert.True(registered.ExitCode == 0, $"prosodyctl register: {registered.Stderr}");
        return (user, password);
    }

    [Fact]
    public async Task Rc_file_named_with_f_in_the_key_value_form()
    {
        (string user, string password) = await AsciiAccountAsync();
        string rc = Path.Combine(prosody.Directory, $"sx-{Guid.NewGuid():N}.rc");
        await File.WriteAllTextAsync(rc, $"# alerts account\nusername: {user}\njserver: 127.0.0.1\nport: {prosody.Port}\n"
            + $"password: {password}\ncomponent: {SandboxServerFixture.Domain}\n");
        File.SetUnixFileMode(rc, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        await BothDeliverAsync([.. Tls, "-f", rc, To(7)], "from the rc file", 7, (_, got) =>
        {
            Assert.Equal("from the rc file", Body(Assert.Single(got)));
            Assert.StartsWith($"{user}@{SandboxServerFixture.Domain}/", got[0].From, StringComparison.Ordinal);
            return Task.CompletedTask;
        });
    }

    [Fact]
    public async Task Rc_file_in_home_in_the_one_line_form()
    {
        (string user, string password) = await AsciiAccountAsync();
        string home = Directory.CreateTempSubdirectory("xsend-sx-home-").FullName;
        string rc = Path.Combine(home, ".sendxmpprc");
        await File.WriteAllTextAsync(rc, $"# user@host:port password component\n{user}@127.0.0.1:{prosody.Port} {password} {SandboxServerFixture.Domain}\n");
        File.SetUnixFileMode(rc, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        await BothDeliverAsync([.. Tls, To(8)], "from ~/.sendxmpprc", 8, (_, got) =>
        {
            Assert.Equal("from ~/.sendxmpprc", Body(Assert.Single(got)));
            return Task.CompletedTask;
        }, environment: new Dictionary<string, string> { ["HOME"] = home });

        // Readable by others: both refuse it (sendxmpp exit 1, xsend 78), and nothing is sent.
        File.SetUnixFileMode(rc, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var environment = new Dictionary<string, string> { ["HOME"] = home };
        ProcessResult real = await XsendProcess.RunAsync([.. Tls, To(8)], "x", binary: RealSendxmpp, environment: environment);
        ProcessResult xsend = await XsendProcess.RunAsync([.. Tls, To(8)], "x", binary: Symlink.Value, environment: environment);
        Assert.Equal((1, 78), (real.ExitCode, xsend.ExitCode));
        Assert.Contains("must not be accessible by others", real.Stderr, StringComparison.Ordinal);
        Assert.Equal($"xsend: {rc} must not be accessible by others: it holds a password (chmod 600 {rc})\n", xsend.Stderr);
    }

    [Fact]
    public async Task Chatroom_with_c_real_sendxmpp_is_refused_by_prosody_silently_xsend_posts()
    {
        string room = $"sx-{Guid.NewGuid():N}@conference.{SandboxServerFixture.Domain}";
        await using Receiver watcher = await Receiver.OnlineAsync(prosody, "sxto9");
        await watcher.JoinRoomAsync(room, "watcher"); // the room exists: xsend posts only to existing rooms
        string[] args = [.. Tls, .. Account(), "-c", "-r", "TheCook", room];

        // sendxmpp 1.24 joins with a bare <presence/> (no MUC <x/>): Prosody 0.12 answers item-not-found
        // ("Attempted join without <x>"), refuses the groupchat message, and sendxmpp, which never
        // reads the answers, exits 0. The same invocation through xsend joins properly and posts.
        ProcessResult real = await XsendProcess.RunAsync(args, "Dinner Time", binary: RealSendxmpp);
        Assert.Equal(0, real.ExitCode);
        await watcher.AssertNothingMoreAsync(TimeSpan.FromSeconds(1));

        ProcessResult xsend = await XsendProcess.RunAsync(args, "Dinner Time", binary: Symlink.Value);
        Assert.True(xsend.ExitCode == 0, xsend.Stderr);
        ReceivedMessage posted = Assert.Single(await watcher.ReceiveAsync());
        Assert.Equal(("Dinner Time", "groupchat", $"{room}/TheCook"), (posted.Body, posted.Type, posted.From));
        await watcher.AssertNothingMoreAsync(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task Without_a_trusted_ca_both_refuse_the_private_certificate_n_delivers_and_so_does_the_subcommand()
    {
        await using Receiver receiver = await Receiver.OnlineAsync(prosody, "sxto10");
        string[] args = ["-t", .. Account(), To(10)];

        ProcessResult real = await XsendProcess.RunAsync(args, "not trusted", binary: RealSendxmpp);
        ProcessResult xsend = await XsendProcess.RunAsync(args, "not trusted", binary: Symlink.Value);

        Assert.Equal(1, real.ExitCode);
        Assert.Equal(79, xsend.ExitCode);
        Assert.Contains("xsend: TLS failed: the server's certificate (issued by CN=xsend sandbox CA) is not trusted", xsend.Stderr, StringComparison.Ordinal);
        await receiver.AssertNothingMoreAsync(TimeSpan.FromMilliseconds(300));

        // -n turns verification off, loudly; the alert is delivered.
        ProcessResult insecure = await XsendProcess.RunAsync(["-n", .. Account(), To(10)], "unverified", binary: Symlink.Value);
        Assert.True(insecure.ExitCode == 0, insecure.Stderr);
        Assert.Contains("xsend: warning: --insecure: the server's certificate is NOT verified", insecure.Stderr, StringComparison.Ordinal);
        Assert.Equal("unverified", Assert.Single(await receiver.ReceiveAsync()).Body);

        // The same through the subcommand, without the symlink.
        ProcessResult subcommand = await XsendProcess.RunAsync(["sendxmpp-compat", .. Tls, .. Account(), To(10)], "via the subcommand");
        Assert.True(subcommand.ExitCode == 0, subcommand.Stderr);
        Assert.Equal("via the subcommand", Assert.Single(await receiver.ReceiveAsync()).Body);
    }
}
