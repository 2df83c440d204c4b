using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using XSend.Cli.Outbox;
using Xunit.Abstractions;

namespace XSend.IntegrationTests;

/// <summary>
/// Against the real Prosody (mod_smacks): a connection cut mid-send is resumed and every alert
/// arrives exactly once; SIGTERM at random points of real runs with a backlog never loses an alert
/// and never delivers one more than twice.
/// </summary>
[Collection(ProsodyCollection.Name)]
public sealed class ResumptionTests(ProsodyFixture prosody, ITestOutputHelper output)
{
    [Theory]
    [InlineData(1_500, false)] // during login, before a session exists: a plain retry
    [InlineData(30_000, true)] // about 4 kB of TLS and login, then 100 messages of some 600 bytes: mid-send
    [InlineData(60_000, true)] // near the end of the window
    public async Task A_connection_cut_mid_send_is_resumed_and_every_alert_arrives_exactly_once(int cutAfterClientBytes, bool resumes)
    {
        await using Receiver walt = await Receiver.OnlineAsync(prosody, "walt");
        await using var proxy = new CuttingProxy(prosody.Port, cutAfterClientBytes);
        string run = Guid.NewGuid().ToString("N")[..8];
        string[] bodies = Enumerable.Range(1, 100).Select(i => $"cut {run} #{i} {new string('x', 500)}").ToArray();

        ProcessResult result = await XsendProcess.RunAsync(
            ["--config", prosody.WriteConfig("alice", server: proxy.Endpoint), "-v", "--timeout", "30", "--line-mode", "walt@xsend.test"],
            stdin: string.Join('\n', bodies) + "\n");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.True(proxy.Cut.IsCompleted, "the proxy never cut the connection");
        Assert.Equal(2, proxy.Connections);
        string[] resumed = result.Stderr.Split('\n').Where(l => l.Contains("resumed the session")).ToArray();
        Assert.Equal(resumes ? 1 : 0, resumed.Length);
        foreach (string line in resumed)
            output.WriteLine(line);
        List<Xmpp.ReceivedMessage> received = await walt.ReceiveAsync(bodies.Length);
        await walt.AssertNothingMoreAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(bodies.Order(), received.Select(m => m.Body!).Order());
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private const int Sigterm = 15;

    [Fact]
    public async Task Kill_sweep_sigterm_at_random_points_never_loses_an_alert_nor_delivers_one_more_than_twice()
    {
        // Seeded, so a failing sweep can be replayed exactly: each run is killed after a random
        // number of its -v narration lines (connecting, TLS, login, sending, acks, outbox removals...).
        const int Seed = 20261201;
        const int Runs = 12;
        const int LinesPerRun = 40;
        const int Backlog = 20;
        var random = new Random(Seed);
        await using Receiver xena = await Receiver.OnlineAsync(prosody, "xena");
        string config = prosody.WriteConfig("alice");
        string outbox = Directory.CreateTempSubdirectory("xsend-sweep-").FullName;
        string tag = Guid.NewGuid().ToString("N")[..8];
        var expected = new HashSet<string>(StringComparer.Ordinal);

        // The backlog: alerts an earlier outage left queued.
        var store = new OutboxStore(outbox, TimeSpan.FromHours(24));
        for (int i = 0; i < Backlog; i++)
        {
            string body = $"sweep {tag} backlog {i}";
            store.Enqueue(new OutboxEntry($"{tag}-backlog-{i}", "alice@xsend.test", "xena@xsend.test", body, "chat", null, DateTimeOffset.UtcNow, "test"));
            expected.Add(body);
        }

        int killed = 0;
        var exits = new List<int>();
        for (int run = 1; run <= Runs; run++)
        {
            string[] lines = Enumerable.Range(1, LinesPerRun).Select(i => $"sweep {tag} run {run} line {i}").ToArray();
            expected.UnionWith(lines);
            int killAfterLines = random.Next(1, 20);
            using Process xsend = XsendProcess.Start(["--config", config, "-v", "--timeout", "20", "--line-mode", "xena@xsend.test"], outbox);
            Task<string> stdout = xsend.StandardOutput.ReadToEndAsync();
            await xsend.StandardInput.WriteAsync(string.Join('\n', lines) + "\n");
            xsend.StandardInput.Close();
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var narration = new StringBuilder();
            int seen = 0;
            while (await xsend.StandardError.ReadLineAsync(limit.Token) is { } line)
            {
                narration.AppendLine(line);
                if (++seen == killAfterLines && kill(xsend.Id, Sigterm) == 0)
                    killed++;
            }
            await xsend.WaitForExitAsync(limit.Token);
            await stdout;
            exits.Add(xsend.ExitCode);
            output.WriteLine($"run {run}: SIGTERM after narration line {killAfterLines} of {seen}; exit {xsend.ExitCode}");
            // 143: the signal came after the run had finished its work (its last line said so).
            bool finished = narration.ToString().Contains("] done: ");
            Assert.True(xsend.ExitCode is 0 or 75 or 81 || (xsend.ExitCode == 143 && finished), $"run {run} exited {xsend.ExitCode}:\n{narration}");
        }

        string[] last = Enumerable.Range(1, LinesPerRun).Select(i => $"sweep {tag} final line {i}").ToArray();
        expected.UnionWith(last);
        ProcessResult final = await XsendProcess.RunAsync(["--config", config, "--timeout", "20", "--line-mode", "xena@xsend.test"],
            stdin: string.Join('\n', last) + "\n", outbox: outbox);
        Assert.True(final.ExitCode == 0, final.Stderr);
        Assert.Empty(Directory.GetFiles(outbox, "*.alert.json"));

        List<Xmpp.ReceivedMessage> received = await xena.CollectAsync(
            got => expected.IsSubsetOf(got.Select(m => m.Body!)), quiet: TimeSpan.FromSeconds(2), limit: TimeSpan.FromSeconds(60));
        var byBody = received.GroupBy(m => m.Body!).ToDictionary(g => g.Key, g => g.ToList());
        int twice = byBody.Values.Count(copies => copies.Count == 2);
        output.WriteLine($"kill sweep (seed {Seed}): {Runs} runs with SIGTERM after a random narration line ({killed} signalled; "
            + $"exits {string.Join(",", exits)}) and 1 normal run; {expected.Count} alerts, {received.Count} received, "
            + $"{twice} arrived twice, {expected.Count(b => !byBody.ContainsKey(b))} lost, {byBody.Values.Count(c => c.Count > 2)} more than twice");

        Assert.All(expected, body => Assert.True(byBody.ContainsKey(body), $"lost: {body}"));
        Assert.All(byBody, pair => Assert.InRange(pair.Value.Count, 1, 2));
        // A duplicate is the same alert resent: it always carries the same id.
        Assert.All(byBody, pair => Assert.Single(pair.Value.Select(m => m.Id).Distinct()));
        Assert.Empty(byBody.Keys.Except(expected));
        Assert.True(killed > Runs / 2, $"only {killed} of {Runs} runs were signalled mid-run");
    }
}
