using System.Text.Json;

namespace XSend.IntegrationTests;

/// <summary>
/// The real binary against a real Prosody with SASL2, Bind2 and FAST (see <see cref="ProsodySasl2Fixture"/>):
/// login and binding in the SASL2 request, a FAST token on the next run, a refused token that
/// must not cost the alert, and parallel runs of one account that must not evict each other
/// (Bind2 derives the resource from the user-agent id).
/// </summary>
[Collection(ProsodySasl2Collection.Name)]
public sealed class Sasl2Tests(ProsodySasl2Fixture prosody)
{
    private static string NewStateDirectory() => Directory.CreateTempSubdirectory("xsend-state-").FullName;

    private static string TokenFile(string state) => Path.Combine(state, "fast-tokens.json");

    // A generous deadline: eight JIT-started processes at once on a shared 2-core machine.
    private Task<ProcessResult> SendAsync(string from, string to, string body, string state, params string[] extra) =>
        XsendProcess.RunAsync(["--config", prosody.WriteConfig(from), "--timeout", "60", .. extra, $"{to}@{SandboxServerFixture.Domain}", body],
            state: state, limit: TimeSpan.FromSeconds(90));

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Logs_in_with_sasl2_and_bind2_then_with_a_fast_token_and_check_reports_it()
    {
        string state = NewStateDirectory();
        await using Receiver bob = await Receiver.OnlineAsync(prosody, "bob");

        ProcessResult first = await SendAsync("alice", "bob", "first over SASL2", state, "-v");
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Contains("authenticated as alice@xsend.test with SCRAM-SHA-1", first.Stderr);
        Assert.Matches(@"bound as alice@xsend\.test/xsend~\S+ \(Bind2\)", first.Stderr);
        Assert.Contains("the server issued a FAST token (HT-SHA-256-NONE)", first.Stderr);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(TokenFile(state)));

        ProcessResult second = await SendAsync("alice", "bob", "second with FAST", state, "-v");
        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.Contains("authenticated as alice@xsend.test with HT-SHA-256-NONE", second.Stderr);
        Assert.Equal(["first over SASL2", "second with FAST"], (await bob.ReceiveAsync(2)).Select(m => m.Body));

        ProcessResult check = await XsendProcess.RunAsync(["check", "--json", "--timeout", "60", "--config", prosody.WriteConfig("alice")], state: state);
        Assert.True(check.ExitCode == 0, check.Stderr);
        using JsonDocument report = JsonDocument.Parse(check.Stdout);
        JsonElement sasl = report.RootElement.GetProperty("sasl");
        Assert.True(sasl.GetProperty("sasl2").GetBoolean());
        Assert.True(sasl.GetProperty("bind2").GetBoolean());
        Assert.Equal("HT-SHA-256-NONE", sasl.GetProperty("used").GetString());
        JsonElement fast = sasl.GetProperty("fast");
        Assert.True(fast.GetProperty("tokenUsed").GetBoolean());
        Assert.False(fast.GetProperty("passwordVerified").GetBoolean());
        Assert.Contains("HT-SHA-256-NONE", fast.GetProperty("offered").EnumerateArray().Select(e => e.GetString()));
        Assert.True(fast.GetProperty("tokenExpiry").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        // The session's features: CSI is enabled through Bind2 here; mod_sasl2_sm is not loaded,
        // so this session has no stream management (delivery is confirmed with a ping).
        JsonElement features = report.RootElement.GetProperty("features");
        Assert.True(features.GetProperty("clientStateIndication").GetBoolean());
        Assert.False(features.GetProperty("streamManagement").GetBoolean());

        ProcessResult text = await XsendProcess.RunAsync(["check", "--timeout", "60", "--config", prosody.WriteConfig("alice")], state: state);
        Assert.Contains("the password file was NOT verified", text.Stdout);
    }

    [Fact]
    public async Task A_refused_token_logs_in_with_the_password_on_a_fresh_connection_and_the_alert_arrives_once()
    {
        string state = NewStateDirectory();
        await using Receiver carol = await Receiver.OnlineAsync(prosody, "carol");
        ProcessResult first = await SendAsync("erin", "carol", "earns a token", state);
        Assert.True(first.ExitCode == 0, first.Stderr);
        string issued = File.ReadAllText(TokenFile(state));
        string forged = Forge(issued);
        Assert.NotEqual(issued, forged);
        File.WriteAllText(TokenFile(state), forged);

        ProcessResult second = await SendAsync("erin", "carol", "after a refused token", state, "-v");

        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.Contains("the server refused the stored FAST token (not-authorized)", second.Stderr);
        // mod_sasl2_fast keeps its token handler for the stream, so the password needs a new connection.
        Assert.Contains("then the password on the same stream (invalid-mechanism)", second.Stderr);
        Assert.Contains("authenticated as erin@xsend.test with SCRAM-SHA-1", second.Stderr);
        Assert.Equal(["earns a token", "after a refused token"], (await carol.ReceiveAsync(2)).Select(m => m.Body));
        await carol.AssertNothingMoreAsync(TimeSpan.FromSeconds(1));
        Assert.DoesNotContain("secret-token:fast-forged", File.ReadAllText(TokenFile(state)));

        // listen takes the same way back.
        File.WriteAllText(TokenFile(state), Forge(File.ReadAllText(TokenFile(state))));
        ProcessResult listened = await XsendProcess.RunAsync(["listen", "-v", "--config", prosody.WriteConfig("erin"), "--timeout", "10"], state: state);
        Assert.True(listened.ExitCode == 0, listened.Stderr);
        Assert.Contains("then the password on the same stream (invalid-mechanism)", listened.Stderr);
        Assert.Contains("authenticated as erin@xsend.test with SCRAM-SHA-1", listened.Stderr);
    }

    /// <summary>Replaces every stored token with one the server never issued (revoked, or another server's): well-formed, refused.</summary>
    private static string Forge(string tokens) =>
        System.Text.RegularExpressions.Regex.Replace(tokens, "\"token\": \"[^\"]+\"", "\"token\": \"secret-token:fast-forged\"");

    [Fact]
    public async Task Parallel_sends_of_one_account_never_evict_each_other_and_each_alert_arrives_once()
    {
        // Issue #11 item 5: with one user-agent id, Bind2 gave every run the same resource and
        // Prosody replaced sessions ("conflict"): 8 of 24 runs exited 69 and lost their alerts.
        string state = NewStateDirectory();
        await using Receiver dave = await Receiver.OnlineAsync(prosody, "dave");
        string run = Guid.NewGuid().ToString("N")[..8];
        var bodies = new List<string>();
        var resources = new HashSet<string>();
        for (int round = 1; round <= 3; round++)
        {
            string[] batch = Enumerable.Range(1, 8).Select(i => $"bind2 {run} round {round} #{i}").ToArray();
            ProcessResult[] results = await Task.WhenAll(batch.Select(body => SendAsync("frank", "dave", body, state, "-v")));
            Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Stderr));
            bodies.AddRange(batch);
        }

        List<XSend.Xmpp.ReceivedMessage> received = await dave.ReceiveAsync(bodies.Count);
        Assert.Equal(bodies.Order(), received.Select(m => m.Body!).Order());
        await dave.AssertNothingMoreAsync(TimeSpan.FromSeconds(1));
        // Runs at once used distinct ids from the pool, hence distinct resources, each id with its own token.
        int agents = received.Select(m => m.From).Distinct().Count();
        Assert.InRange(agents, 2, XSend.Cli.State.UserAgentPool.Size);
        using JsonDocument tokens = JsonDocument.Parse(File.ReadAllBytes(TokenFile(state)));
        Assert.Equal(agents, tokens.RootElement.GetProperty("accounts").GetProperty("frank@xsend.test").EnumerateObject().Count());
    }

    [Fact]
    public async Task Listen_and_sends_of_the_same_account_coexist()
    {
        string state = NewStateDirectory();
        await using Receiver judy = await Receiver.OnlineAsync(prosody, "judy");
        Task<ProcessResult> listening = XsendProcess.RunAsync(["listen", "--config", prosody.WriteConfig("grace"), "--count", "1", "--timeout", "60"],
            state: state, limit: TimeSpan.FromSeconds(90));
        string run = Guid.NewGuid().ToString("N")[..8];
        string[] bodies = Enumerable.Range(1, 4).Select(i => $"beside listen {run} #{i}").ToArray();
        // Bounded: the sends start once the listener has had time to log in, then one message for it.
        for (int i = 0; i < 100 && !listening.IsCompleted; i++)
        {
            await Task.Delay(500);
            if (i == 2)
            {
                ProcessResult[] sends = await Task.WhenAll(bodies.Select(body => SendAsync("grace", "judy", body, state)));
                Assert.All(sends, r => Assert.True(r.ExitCode == 0, r.Stderr));
                Assert.Equal(0, (await SendAsync("henry", "grace", $"for the listener {run}", NewStateDirectory())).ExitCode);
            }
        }

        ProcessResult listened = await listening;
        Assert.True(listened.ExitCode == 0, listened.Stderr);
        Assert.Contains($"for the listener {run}", listened.Stdout);
        Assert.Equal(bodies.Order(), (await judy.ReceiveAsync(bodies.Length)).Select(m => m.Body!).Order());
    }
}
