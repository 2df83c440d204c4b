using System.Diagnostics;
using System.Text.Json.Nodes;

namespace XSend.IntegrationTests;

/// <summary>
/// A private Prometheus Alertmanager 0.25 (Debian's prometheus-alertmanager; scripts/install-deps.sh
/// installs it) on free loopback ports, with its own config and storage directory and clustering
/// off, whose one receiver is the xsend-serve bridge at <see cref="BridgePort"/> (bearer
/// <see cref="Token"/>): alerts posted to its API v2 go through its real grouping and retries.
/// A second instance with the same config is its "HA replica" (unclustered, so each notifies on
/// its own, the worst case for duplicates); it is sent alerts only when a test asks.
/// </summary>
public sealed class AlertmanagerFixture : IAsyncLifetime
{
    private readonly List<Process> _processes = [];
    private readonly System.Text.StringBuilder _log = new();

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("xsend-alertmanager-").FullName;

    public int Port { get; } = SandboxServerFixture.FreePort();

    /// <summary>The second instance's API port.</summary>
    public int ReplicaPort { get; } = SandboxServerFixture.FreePort();

    /// <summary>Where the bridge under test must listen for Alertmanager's webhooks.</summary>
    public int BridgePort { get; } = SandboxServerFixture.FreePort();

    public string Token { get; } = Guid.NewGuid().ToString("N");

    public string Url => $"http://127.0.0.1:{Port}";

    public async Task InitializeAsync()
    {
        string tokenFile = Path.Combine(Directory, "token");
        await File.WriteAllTextAsync(tokenFile, Token);
        string config = Path.Combine(Directory, "alertmanager.yml");
        // Grouped by alert name; short waits so a test sees its group within seconds.
        await File.WriteAllTextAsync(config, $$"""
            route:
              receiver: xsend
              group_by: [alertname]
              group_wait: 1s
              group_interval: 2s
              repeat_interval: 1h
            receivers:
              - name: xsend
                webhook_configs:
                  - url: http://127.0.0.1:{{BridgePort}}/alertmanager
                    send_resolved: true
                    http_config:
                      authorization:
                        type: Bearer
                        credentials_file: {{tokenFile}}
            """);
        await StartAsync(config, Port, "data");
        await StartAsync(config, ReplicaPort, "replica-data");
    }

    private async Task StartAsync(string config, int port, string storage)
    {
        var start = new ProcessStartInfo("prometheus-alertmanager") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[]
        {
            $"--config.file={config}", $"--storage.path={Path.Combine(Directory, storage)}", $"--web.listen-address=127.0.0.1:{port}",
            "--cluster.listen-address=", "--log.level=warn",
        })
        {
            start.ArgumentList.Add(arg);
        }
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("prometheus-alertmanager is not installed (apt-get install -y prometheus-alertmanager)", ex);
        }
        _processes.Add(process);
        process.ErrorDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        process.OutputDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        // Ready when /-/ready answers 200; bounded, and each try waits for the answer, not a guessed time.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var ticker = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (await ticker.WaitForNextTickAsync(limit.Token))
        {
            if (process.HasExited)
                throw new InvalidOperationException($"Alertmanager exited with {process.ExitCode}: {Log}");
            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{port}/-/ready", limit.Token)).IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
            }
        }
    }

    /// <summary>What Alertmanager logged (warnings and errors), for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_log)
                return _log.ToString();
        }
    }

    /// <summary>Fires alerts through the API v2 (<c>POST /api/v2/alerts</c>), also at the replica when <paramref name="bothReplicas"/>.</summary>
    public async Task FireAsync((Dictionary<string, string> Labels, Dictionary<string, string> Annotations)[] alerts, bool bothReplicas = false)
    {
        var body = new JsonArray(alerts.Select(a => (JsonNode)new JsonObject
        {
            ["labels"] = new JsonObject(a.Labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))),
            ["annotations"] = new JsonObject(a.Annotations.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))),
            ["generatorURL"] = "http://prometheus.test/graph",
            // Never resolved while the tests run (the default is 5 minutes): a RESOLVED notification
            // of an earlier test's group must not reach a later test's bridge.
            ["endsAt"] = DateTimeOffset.UtcNow.AddHours(1).ToString("O"),
        }).ToArray());
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (int port in bothReplicas ? new[] { Port, ReplicaPort } : [Port])
        {
            using var content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
            HttpResponseMessage response = await http.PostAsync($"http://127.0.0.1:{port}/api/v2/alerts", content);
            Assert.True(response.IsSuccessStatusCode, $"Alertmanager refused the alerts: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    public Task DisposeAsync()
    {
        foreach (Process process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit(10_000);
            }
            process.Dispose();
        }
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
        return Task.CompletedTask;
    }
}
