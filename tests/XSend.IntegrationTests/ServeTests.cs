using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Xunit.Abstractions;

namespace XSend.IntegrationTests;

/// <summary>
/// xsend-serve, the real binary, between a real Alertmanager and the real Prosody: grouped
/// messages at a live recipient, 2xx during an outage only when queued durably and everything
/// arriving after it, and authentication and body checks that send nothing.
/// </summary>
[Collection(ProsodyCollection.Name)]
public sealed class ServeTests(ProsodyFixture prosody, AlertmanagerFixture alertmanager, ITestOutputHelper output) : IClassFixture<AlertmanagerFixture>
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private static async Task<HttpResponseMessage> PostAsync(string url, string body, string? token, string type = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, type) };
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await Http.SendAsync(request);
    }

    private static string Notification(string alertname, string groupKey, params string[] instances) => $$"""
        {"version": "4", "status": "firing", "receiver": "xsend", "groupKey": "{{groupKey}}", "truncatedAlerts": 0,
         "groupLabels": {"alertname": "{{alertname}}"}, "commonLabels": {"alertname": "{{alertname}}"}, "commonAnnotations": {},
         "externalURL": "http://alertmanager.test",
         "alerts": [{{string.Join(",", instances.Select(i => $$"""
            {"status": "firing", "labels": {"alertname": "{{alertname}}", "instance": "{{i}}"}, "annotations": {"summary": "{{i}} is down"},
             "startsAt": "2026-12-01T07:00:00Z", "endsAt": "0001-01-01T00:00:00Z", "generatorURL": "http://prometheus.test/graph", "fingerprint": "{{i}}"}
            """))}}]}
        """;

    /// <summary>The bridge that the fixture's Alertmanager notifies (its port and token), sending to <paramref name="recipient"/>.</summary>
    private Task<BridgeProcess> AlertmanagerBridgeAsync(string recipient) =>
        BridgeProcess.StartAsync(prosody.WriteConfig("alice"), $"{recipient}@xsend.test", alertmanager.BridgePort,
            Directory.CreateTempSubdirectory("xsend-serve-").FullName, token: alertmanager.Token);

    [Fact]
    public async Task Alerts_fired_at_a_real_Alertmanager_arrive_as_one_grouped_message_at_a_live_recipient()
    {
        string alertname = $"DiskFull{Guid.NewGuid():N}"[..20];
        await using Receiver amber = await Receiver.OnlineAsync(prosody, "amber");
        await using BridgeProcess bridge = await AlertmanagerBridgeAsync("amber");

        await alertmanager.FireAsync([.. Enumerable.Range(1, 5).Select(i => (
            new Dictionary<string, string> { ["alertname"] = alertname, ["instance"] = $"web{i}", ["severity"] = "critical" },
            new Dictionary<string, string> { ["summary"] = $"disk on web{i} is full" }))]);

        List<Xmpp.ReceivedMessage> messages = await amber.CollectAsync(m => m.Count >= 1, quiet: TimeSpan.FromSeconds(3), limit: TimeSpan.FromSeconds(40));
        output.WriteLine(string.Join("\n---\n", messages.Select(m => m.Body)));
        Xmpp.ReceivedMessage message = Assert.Single(messages);
        string[] lines = message.Body!.Split('\n');
        Assert.Equal($"🔥 FIRING [5] {alertname} — severity=critical", lines[0]);
        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"disk on web{i} is full"), lines[1..].Select(l => l.Split(" — ")[0][2..]).Order());
        Assert.All(lines[1..], l => Assert.EndsWith(" — http://prometheus.test/graph", l));
        Assert.Contains("POST /alertmanager 200 delivered", bridge.Stderr);
        Assert.Equal(0, await bridge.StopAsync());
        Assert.Contains("xsend: serve: stopping", bridge.Stderr);
    }

    [Fact]
    public async Task A_hundred_alerts_in_four_groups_arrive_as_four_messages_each_with_all_its_alerts()
    {
        string run = Guid.NewGuid().ToString("N")[..8];
        string[] names = [.. Enumerable.Range(1, 4).Select(g => $"Load{run}g{g}")];
        await using Receiver ezra = await Receiver.OnlineAsync(prosody, "ezra");
        await using BridgeProcess bridge = await AlertmanagerBridgeAsync("ezra");

        await alertmanager.FireAsync([.. Enumerable.Range(0, 100).Select(i => (
            new Dictionary<string, string> { ["alertname"] = names[i % 4], ["instance"] = $"node{i}" },
            new Dictionary<string, string> { ["summary"] = $"load on node{i} is high" }))]);

        List<Xmpp.ReceivedMessage> messages = await ezra.CollectAsync(m => m.Count >= 4, quiet: TimeSpan.FromSeconds(3), limit: TimeSpan.FromSeconds(40));
        Assert.Equal(names.Select(n => $"🔥 FIRING [25] {n}"), messages.Select(m => m.Body!.Split('\n')[0]).Order(StringComparer.Ordinal));
        string[] alertLines = [.. messages.SelectMany(m => m.Body!.Split('\n')[1..])];
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"load on node{i} is high").Order(StringComparer.Ordinal),
            alertLines.Select(l => l.Split(" — ")[0][2..]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_same_notification_from_two_Alertmanager_replicas_arrives_once()
    {
        string alertname = $"Ha{Guid.NewGuid():N}"[..18];
        await using Receiver fay = await Receiver.OnlineAsync(prosody, "fay");
        await using BridgeProcess bridge = await AlertmanagerBridgeAsync("fay");
        Task<string> second = bridge.NextLineAsync(line => line.Contains("/alertmanager 200 duplicate", StringComparison.Ordinal));

        // Identical labels (so identical fingerprints and group key) at both replicas, each of which notifies the bridge.
        await alertmanager.FireAsync([(new Dictionary<string, string> { ["alertname"] = alertname, ["instance"] = "db1" },
            new Dictionary<string, string> { ["summary"] = "replication lag" })], bothReplicas: true);

        await second.WaitAsync(TimeSpan.FromSeconds(30)); // the replica's copy came and was dropped
        List<Xmpp.ReceivedMessage> messages = await fay.CollectAsync(m => m.Count >= 1, quiet: TimeSpan.FromSeconds(2), limit: TimeSpan.FromSeconds(30));
        Assert.StartsWith($"🔥 FIRING [1] {alertname}", Assert.Single(messages).Body);
        Assert.Contains("xsend_serve_duplicates_total 1\n", await Http.GetStringAsync($"{bridge.Url}/metrics"));
    }

    [Fact]
    public async Task During_an_outage_webhooks_get_202_only_once_queued_and_all_arrive_after_it()
    {
        string outbox = Directory.CreateTempSubdirectory("xsend-serve-outage-").FullName;
        string tag = Guid.NewGuid().ToString("N")[..8];
        int port = SandboxServerFixture.FreePort();
        await using BridgeProcess bridge = await BridgeProcess.StartAsync(prosody.WriteConfig("alice"), "blake@xsend.test", port, outbox);

        var statuses = new List<HttpStatusCode>();
        await prosody.StopAsync();
        try
        {
            for (int i = 1; i <= 3; i++)
            {
                HttpResponseMessage response = await PostAsync($"{bridge.Url}/alertmanager", Notification($"Outage{tag}", $"{{}}:{{n={tag}{i}}}", $"host{i}"), null);
                statuses.Add(response.StatusCode);
                // 202 is the promise that the alert is on disk: its file is there when the answer comes.
                Assert.Equal(i, Directory.GetFiles(outbox, "*.alert.json").Length);
            }
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Http.GetAsync($"{bridge.Url}/readyz")).StatusCode);
        }
        finally
        {
            await prosody.ResumeAsync();
        }
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Accepted, s));

        // The bridge tries the server again every second and sends the outbox once it is back.
        await using Receiver blake = await Receiver.OnlineAsync(prosody, "blake");
        List<Xmpp.ReceivedMessage> messages = await blake.CollectAsync(m => m.Count >= 3, quiet: TimeSpan.FromSeconds(2), limit: TimeSpan.FromSeconds(40));
        Assert.Equal(["host1 is down", "host2 is down", "host3 is down"], messages.Select(m => m.Body!.Split('\n')[1].Split(" — ")[0][2..]).Order());
        Assert.All(messages, m => Assert.NotNull(m.Delay)); // sent from the outbox with the time they were raised
        Assert.Empty(Directory.GetFiles(outbox, "*.alert.json"));
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync($"{bridge.Url}/readyz")).StatusCode);
        string metrics = await Http.GetStringAsync($"{bridge.Url}/metrics");
        Assert.Contains("xsend_serve_messages_queued_total 3\n", metrics);
        Assert.Contains("xsend_serve_messages_delivered_total 3\n", metrics);
        Assert.Contains("xsend_serve_reconnects_total 1\n", metrics);
    }

    [Fact]
    public async Task Wrong_or_missing_tokens_get_401_malformed_400_huge_413_and_nothing_is_sent()
    {
        await using Receiver cole = await Receiver.OnlineAsync(prosody, "cole");
        string outbox = Directory.CreateTempSubdirectory("xsend-serve-auth-").FullName;
        int port = SandboxServerFixture.FreePort();
        await using BridgeProcess bridge = await BridgeProcess.StartAsync(prosody.WriteConfig("alice"), "cole@xsend.test", port, outbox, token: "right-token");
        string good = Notification("Auth", "{}:{n=auth}", "db1");

        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync($"{bridge.Url}/alertmanager", good, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync($"{bridge.Url}/alertmanager", good, "wrong-token")).StatusCode);
        using var otherScheme = new HttpRequestMessage(HttpMethod.Post, $"{bridge.Url}/send") { Content = new StringContent("text") };
        otherScheme.Headers.Authorization = new AuthenticationHeaderValue("Basic", "right-token"); // the token, but not as a bearer
        Assert.Equal(HttpStatusCode.Unauthorized, (await Http.SendAsync(otherScheme)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync($"{bridge.Url}/alertmanager", "{\"status\": \"firing\", \"alerts\": [", "right-token")).StatusCode);
        using var huge = new HttpRequestMessage(HttpMethod.Post, $"{bridge.Url}/alertmanager") { Content = new ByteArrayContent(new byte[70_000]) };
        huge.Headers.ExpectContinue = true; // the answer comes before the body is sent
        huge.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "right-token");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await Http.SendAsync(huge)).StatusCode);

        await cole.AssertNothingMoreAsync(TimeSpan.FromSeconds(2));
        Assert.Empty(Directory.GetFiles(outbox));

        // The right token goes through, and the same notification again is dropped as a duplicate.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync($"{bridge.Url}/alertmanager", good, "right-token")).StatusCode);
        Assert.Equal("""{"status":"duplicate"}""", await (await PostAsync($"{bridge.Url}/alertmanager", good, "right-token")).Content.ReadAsStringAsync());
        Assert.StartsWith("🔥 FIRING [1] Auth", Assert.Single(await cole.ReceiveAsync()).Body);
        await cole.AssertNothingMoreAsync(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Alerts_queued_by_a_bridge_killed_with_sigkill_arrive_when_a_new_bridge_starts()
    {
        string outbox = Directory.CreateTempSubdirectory("xsend-serve-crash-").FullName;
        string config = prosody.WriteConfig("alice");
        string tag = Guid.NewGuid().ToString("N")[..8];
        int port = SandboxServerFixture.FreePort();

        await prosody.StopAsync();
        try
        {
            await using BridgeProcess first = await BridgeProcess.StartAsync(config, "drew@xsend.test", port, outbox, retrySeconds: 60);
            for (int i = 1; i <= 2; i++)
            {
                HttpResponseMessage response = await PostAsync($"{first.Url}/send", $"crash {tag} #{i}", null, "text/plain");
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            }
            first.Kill(); // kill -9: nothing runs after this; the outbox must already hold both
        }
        finally
        {
            await prosody.ResumeAsync();
        }
        Assert.Equal(2, Directory.GetFiles(outbox, "*.alert.json").Length);

        await using Receiver drew = await Receiver.OnlineAsync(prosody, "drew");
        await using BridgeProcess second = await BridgeProcess.StartAsync(config, "drew@xsend.test", port, outbox);
        List<Xmpp.ReceivedMessage> messages = await drew.CollectAsync(m => m.Count >= 2, quiet: TimeSpan.FromSeconds(2), limit: TimeSpan.FromSeconds(30));
        Assert.Equal([$"crash {tag} #1", $"crash {tag} #2"], messages.Select(m => m.Body!).Order());
        Assert.Empty(Directory.GetFiles(outbox, "*.alert.json"));
    }

    [Fact]
    public async Task Sigterm_during_a_delivery_answers_the_webhook_202_with_the_alert_queued_and_exits_0()
    {
        string outbox = Directory.CreateTempSubdirectory("xsend-serve-term-").FullName;
        string config = prosody.WriteConfig("alice");
        string body = $"in flight at SIGTERM {Guid.NewGuid():N}";
        int port = SandboxServerFixture.FreePort();
        HttpResponseMessage answer;
        int exitCode;
        BridgeProcess bridge = await BridgeProcess.StartAsync(config, "drew@xsend.test", port, outbox, retrySeconds: 60, verbose: true);
        await using (bridge)
        {
            // The start-up probe logs in; the bridge says when the server is reachable (registered before looking, so not missed).
            Task<string> reachable = bridge.NextLineAsync(line => line.EndsWith("serve: the XMPP server is reachable", StringComparison.Ordinal));
            if (!bridge.Stderr.Contains("serve: the XMPP server is reachable", StringComparison.Ordinal))
                await reachable.WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync($"{bridge.Url}/readyz")).StatusCode);

            await prosody.StopAsync(); // the bridge still believes the server is up: the delivery tries, and retries
            try
            {
                Task<string> trying = bridge.NextLineAsync(line => line.Contains("connecting", StringComparison.Ordinal));
                Task<HttpResponseMessage> posting = PostAsync($"{bridge.Url}/send", body, null, "text/plain");
                await trying.WaitAsync(TimeSpan.FromSeconds(20));
                Assert.False(posting.IsCompleted);
                exitCode = await bridge.StopAsync(); // SIGTERM while the delivery is in flight
                answer = await posting;
            }
            finally
            {
                await prosody.ResumeAsync();
            }
        }
        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        Assert.Equal(0, exitCode);
        Assert.Single(Directory.GetFiles(outbox, "*.alert.json"));

        // A new bridge sends it on start.
        await using Receiver drew = await Receiver.OnlineAsync(prosody, "drew");
        await using BridgeProcess next = await BridgeProcess.StartAsync(config, "drew@xsend.test", port, outbox);
        Assert.Equal(body, Assert.Single(await drew.CollectAsync(m => m.Count >= 1, quiet: TimeSpan.FromSeconds(2), limit: TimeSpan.FromSeconds(30))).Body);
    }

    [Fact]
    public async Task When_the_server_is_down_and_the_outbox_cannot_be_written_the_webhook_gets_503_with_retry_after()
    {
        string notADirectory = Path.Combine(Directory.CreateTempSubdirectory("xsend-serve-noqueue-").FullName, "a-file");
        await File.WriteAllTextAsync(notADirectory, "in the outbox's place");
        int port = SandboxServerFixture.FreePort();
        // Nothing listens on port 1: the server is unreachable from the start.
        await using BridgeProcess bridge = await BridgeProcess.StartAsync(prosody.WriteConfig("alice", server: "127.0.0.1:1"), "drew@xsend.test", port, notADirectory,
            retrySeconds: 5);

        HttpResponseMessage response = await PostAsync($"{bridge.Url}/send", "nowhere to go", null, "text/plain");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Contains("NOT queued", await response.Content.ReadAsStringAsync());
        Assert.Contains("xsend_serve_messages_failed_total 1\n", await Http.GetStringAsync($"{bridge.Url}/metrics"));
    }
}
