using System.Security.Cryptography;
using XSend.Cli.State;
using XSend.Tests.Fakes;
using XSend.Xmpp;

namespace XSend.Tests.Cli;

/// <summary>
/// --pin-mechanism (Security:PinMechanism): the strongest mechanism an account logged in with is
/// remembered in a 0600 state file, and a later offer without it or anything stronger is refused.
/// </summary>
public sealed class MechanismPinningTests : IDisposable
{
    private const string Password = "s3cret-Pa55";
    private static readonly Jid Alice = Jid.Parse("alice@xsend.test");
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private string StateFile => Path.Combine(_cli.Home, ".local", "state", "xsend", "mechanisms.json");

    private Task<CliResult> SendAsync(FakeXmppServer server, params string[] extra) =>
        _cli.SendAlertAsync(Password, ["--server", server.Endpoint, "--ca-file", TestCertificates.CaPemPath, "--timeout", "10", .. extra]);

    /// <summary>A server offering <paramref name="offered"/> that logs in with <paramref name="used"/>.</summary>
    private static FakeXmppServer Offering(string[] offered, string used) => new(async s =>
    {
        await s.OpenStreamAsync(ScriptedServer.StartTlsFeature);
        await s.StartTlsAsync(TestCertificates.Server);
        HashAlgorithmName hash = used.Contains("256") ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA1;
        await ServerDiscoveryTests.SessionAfterTlsAsync(s, string.Concat(offered.Select(m => $"<mechanism>{m}</mechanism>")),
            new ScramServer(used, hash, Password));
    });

    /// <summary>A server offering only <paramref name="offered"/>, expecting the client to give up before &lt;auth/&gt;.</summary>
    private static FakeXmppServer Stripped(params string[] offered) => new(async s =>
    {
        await Client.Conversation.SecureAsync(s, string.Concat(offered.Select(m => $"<mechanism>{m}</mechanism>")));
        await s.ExpectAsync("</stream:stream>");
    });

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_strongest_login_is_remembered_privately_and_a_stripped_offer_is_refused()
    {
        await using (var first = Offering(["SCRAM-SHA-1", "SCRAM-SHA-256"], "SCRAM-SHA-256"))
        {
            CliResult ok = await SendAsync(first, "--pin-mechanism");
            Assert.True(ok.ExitCode == 0, ok.Stderr + first.ScriptFailure);
        }
        Assert.Contains("\"alice@xsend.test\": \"SCRAM-SHA-256\"", File.ReadAllText(StateFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(StateFile));

        await using var stripped = Stripped("SCRAM-SHA-1", "PLAIN");
        CliResult refused = await SendAsync(stripped, "--pin-mechanism");

        Assert.Equal(77, refused.ExitCode);
        string line = Assert.Single(refused.ErrorLines);
        Assert.Contains("no acceptable authentication mechanism: the server offers SCRAM-SHA-1, PLAIN", line);
        Assert.Contains($"everything weaker than SCRAM-SHA-256, which this account used before (remembered in {StateFile}; delete its entry", line);
        Assert.DoesNotContain("<auth", stripped.Conversation!.Transcript);
    }

    [Fact]
    public async Task Pinning_is_opt_in_so_without_it_the_weaker_offer_is_used_and_nothing_is_written()
    {
        new MechanismMemory(StateFile).Remember(Alice, "SCRAM-SHA-256", TextWriter.Null);

        await using var server = Offering(["SCRAM-SHA-1"], "SCRAM-SHA-1");
        CliResult result = await SendAsync(server);

        Assert.True(result.ExitCode == 0, result.Stderr + server.ScriptFailure);
        Assert.Equal("SCRAM-SHA-256", new MechanismMemory(StateFile).Recall(Alice));
    }

    [Fact]
    public async Task The_config_key_turns_pinning_on_too()
    {
        new MechanismMemory(StateFile).Remember(Alice, "SCRAM-SHA-256", TextWriter.Null);
        string config = _cli.WriteFile("config.json", """{ "Security": { "PinMechanism": true } }""");

        await using var stripped = Stripped("SCRAM-SHA-1");
        CliResult result = await SendAsync(stripped, "--config", config);

        Assert.Equal(77, result.ExitCode);
        Assert.Contains("everything weaker than SCRAM-SHA-256", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task An_unreadable_state_file_is_a_configuration_error_not_a_silent_pass()
    {
        Directory.CreateDirectory(StateFile); // a directory where the file should be
        await using var server = Stripped("SCRAM-SHA-1");

        CliResult result = await SendAsync(server, "--pin-mechanism");

        Assert.Equal(78, result.ExitCode);
        Assert.Contains($"cannot read the remembered login mechanisms in {StateFile}", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public void Only_a_stronger_mechanism_raises_the_floor()
    {
        var memory = new MechanismMemory(StateFile);
        memory.Remember(Alice, "SCRAM-SHA-1", TextWriter.Null);
        Assert.Equal("SCRAM-SHA-1", memory.Recall(Alice));

        memory.Remember(Alice, "SCRAM-SHA-1-PLUS", TextWriter.Null);
        memory.Remember(Alice, "SCRAM-SHA-512", TextWriter.Null); // unbound ranks below any -PLUS
        memory.Remember(Jid.Parse("alice@xsend.test/laptop"), "PLAIN", TextWriter.Null); // same account

        Assert.Equal("SCRAM-SHA-1-PLUS", memory.Recall(Alice));
        Assert.Null(memory.Recall(Jid.Parse("bob@xsend.test")));
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(StateFile));
        Assert.Single(json.RootElement.GetProperty("accounts").EnumerateObject());
    }

    [Fact]
    public void A_state_file_that_cannot_be_written_is_a_warning()
    {
        string blocked = _cli.WriteFile("not-a-directory", "");
        var memory = new MechanismMemory(Path.Combine(blocked, "mechanisms"));
        var stderr = new StringWriter();

        memory.Remember(Alice, "SCRAM-SHA-1", stderr);

        Assert.StartsWith($"xsend: warning: cannot remember the login mechanism in {Path.Combine(blocked, "mechanisms")}:", stderr.ToString());
    }
}
