using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using XSend.Serve;
using XSend.Xmpp;

namespace XSend.Tests.Serve;

/// <summary>
/// The HTTP side through real Kestrel on loopback, with the XMPP side replaced by a recording
/// delivery: the status each outcome gets, authentication, limits, duplicates and metrics.
/// (The real delivery against Prosody and Alertmanager is in the integration tests.)
/// </summary>
public sealed class WebhookEndpointTests : IAsyncLifetime
{
    private readonly RecordingDelivery _delivery = new();
    private readonly ServeMetrics _metrics = new();
    private readonly StringWriter _log = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly int _port = FreePort();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(20) };
    private Task<int> _serving = Task.FromResult(-1);

    private sealed class RecordingDelivery : IWebhookDelivery
    {
        public List<OutgoingMessage> Messages { get; } = [];

        public WebhookOutcome Next { get; set; } = new(WebhookDisposition.Delivered);

        public bool IsReady { get; set; }

        public Task<WebhookOutcome> DeliverAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken = default)
        {
            lock (Messages)
                Messages.AddRange(messages);
            return Task.FromResult(Next);
        }

        public Task RecoverAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
    }

    private ServeSettings Settings => new(new IPEndPoint(IPAddress.Loopback, _port), [Jid.Parse("ops@example.org")], [],
        new WebhookAuthentication("t0ken", null))
    {
        MaxBodyBytes = 4096,
        Retry = TimeSpan.FromSeconds(7),
        Routes = new Dictionary<string, IReadOnlyList<Jid>> { ["db-team"] = [Jid.Parse("dba@example.org"), Jid.Parse("oncall@example.org")] },
    };

    public async Task InitializeAsync()
    {
        var listening = new TaskCompletionSource();
        _serving = ServeCommand.ServeAsync(Settings, _delivery, _metrics, TextWriter.Synchronized(_log), new FakeTimeProvider(), _stop.Token, listening);
        Task first = await Task.WhenAny(listening.Task, _serving).WaitAsync(TimeSpan.FromSeconds(20));
        if (first == _serving)
            throw new InvalidOperationException($"xsend-serve stopped with {await _serving}: {_log}");
    }

    public async Task DisposeAsync()
    {
        _stop.Cancel();
        Assert.Equal(0, await _serving.WaitAsync(TimeSpan.FromSeconds(10)));
        _http.Dispose();
    }

    private string Url(string path) => $"http://127.0.0.1:{_port}{path}";

    private async Task<HttpResponseMessage> PostAsync(string path, string body, string? token = "t0ken", string type = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Url(path)) { Content = new StringContent(body, Encoding.UTF8, type) };
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _http.SendAsync(request);
    }

    [Fact]
    public async Task A_delivered_notification_is_200_and_one_grouped_message_to_each_recipient()
    {
        HttpResponseMessage response = await PostAsync("/alertmanager", NotificationFormatterTests.AlertmanagerFiring);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"status":"delivered"}""", await response.Content.ReadAsStringAsync());
        OutgoingMessage message = Assert.Single(_delivery.Messages);
        Assert.Equal("ops@example.org", message.To.ToString());
        Assert.StartsWith("🔥 FIRING [2] DiskFull", message.Body);
        Assert.Contains("xsend_serve_webhook_duration_seconds_count 1", await _http.GetStringAsync(Url("/metrics")));
    }

    [Fact]
    public async Task A_receiver_with_a_route_goes_to_its_recipients_and_others_to_the_default()
    {
        string routed = NotificationFormatterTests.AlertmanagerFiring.Replace("\"receiver\": \"xsend\"", "\"receiver\": \"db-team\"");
        Assert.NotEqual(NotificationFormatterTests.AlertmanagerFiring, routed);

        Assert.Equal(HttpStatusCode.OK, (await PostAsync("/alertmanager", routed)).StatusCode);
        Assert.Equal(["dba@example.org", "oncall@example.org"], _delivery.Messages.Select(m => m.To.ToString()));
        _delivery.Messages.Clear();
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("/alertmanager", NotificationFormatterTests.AlertmanagerFiring)).StatusCode);
        Assert.Equal("ops@example.org", Assert.Single(_delivery.Messages).To.ToString());
    }

    [Fact]
    public async Task Queued_is_202_and_neither_is_503_with_retry_after()
    {
        _delivery.Next = new WebhookOutcome(WebhookDisposition.Queued, "connection refused");
        HttpResponseMessage queued = await PostAsync("/grafana", NotificationFormatterTests.AlertmanagerFiring);
        _delivery.Next = new WebhookOutcome(WebhookDisposition.Failed, "outbox full");
        HttpResponseMessage failed = await PostAsync("/send", "disk full", type: "text/plain");

        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), failed.Headers.RetryAfter?.Delta);
        Assert.Contains("outbox full", await failed.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong")]
    public async Task A_missing_or_wrong_token_is_401_and_nothing_is_sent(string? token)
    {
        HttpResponseMessage response = await PostAsync("/alertmanager", NotificationFormatterTests.AlertmanagerFiring, token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Empty(_delivery.Messages);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"status": "firing"}""")]
    [InlineData("""{"status": "burning", "alerts": []}""")]
    [InlineData("""{"status": "firing", "alerts": [{"startsAt": 5}]}""")]
    public async Task A_malformed_notification_is_400_and_nothing_is_sent(string body)
    {
        HttpResponseMessage response = await PostAsync("/alertmanager", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_delivery.Messages);
    }

    [Theory]
    [InlineData("/alertmanager", false)]
    [InlineData("/send", true)]
    public async Task A_body_over_the_limit_is_413_with_or_without_a_length(string path, bool chunked)
    {
        string huge = "{\"status\":\"firing\",\"alerts\":[],\"x\":\"" + new string('a', 10_000) + "\"}";

        // Written whole in one go, then the answer read: an HTTP client may still be writing when
        // the server answers early and closes (a broken pipe), which would hide the status.
        string statusLine = await RawPostAsync(path, Encoding.UTF8.GetBytes(huge), chunked);

        Assert.StartsWith("HTTP/1.1 413", statusLine);
        Assert.Empty(_delivery.Messages);
    }

    /// <summary>POSTs with a raw socket (Content-Length or one chunk) and returns the response's status line.</summary>
    private async Task<string> RawPostAsync(string path, byte[] body, bool chunked)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _port);
        NetworkStream stream = client.GetStream();
        string framing = chunked ? "Transfer-Encoding: chunked" : $"Content-Length: {body.Length}";
        var request = new MemoryStream();
        request.Write(Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer t0ken\r\n"
            + $"Content-Type: application/json\r\n{framing}\r\nConnection: close\r\n\r\n"));
        if (chunked)
            request.Write(Encoding.ASCII.GetBytes($"{body.Length:x}\r\n"));
        request.Write(body);
        if (chunked)
            request.Write("\r\n0\r\n\r\n"u8);
        await stream.WriteAsync(request.ToArray());
        using var reader = new StreamReader(stream, Encoding.ASCII);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await reader.ReadLineAsync(timeout.Token) ?? "";
    }

    [Fact]
    public async Task The_same_notification_twice_is_sent_once_and_counted_as_a_duplicate()
    {
        HttpResponseMessage first = await PostAsync("/alertmanager", NotificationFormatterTests.AlertmanagerFiring);
        HttpResponseMessage second = await PostAsync("/alertmanager", NotificationFormatterTests.AlertmanagerFiring);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("""{"status":"duplicate"}""", await second.Content.ReadAsStringAsync());
        Assert.Single(_delivery.Messages);
        Assert.Contains("xsend_serve_duplicates_total 1\n", await _http.GetStringAsync(Url("/metrics")));
    }

    [Fact]
    public async Task Send_takes_text_or_json_and_refuses_an_empty_body_and_bad_utf8()
    {
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("/send", "backup failed\n", type: "text/plain")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("/send", """{"text": "报警", "subject": "db"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync("/send", "  ", type: "text/plain")).StatusCode);
        using var badUtf8 = new HttpRequestMessage(HttpMethod.Post, Url("/send")) { Content = new ByteArrayContent([0x66, 0xC3, 0x28]) };
        badUtf8.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "t0ken");
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.SendAsync(badUtf8)).StatusCode);

        Assert.Equal(["backup failed", "报警"], _delivery.Messages.Select(m => m.Body));
        Assert.Equal("db", _delivery.Messages[1].Subject);
    }

    [Fact]
    public async Task Readyz_follows_the_delivery_and_healthz_is_always_ok()
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _http.GetAsync(Url("/readyz"))).StatusCode);
        _delivery.IsReady = true;
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync(Url("/readyz"))).StatusCode);
        Assert.Equal("ok\n", await _http.GetStringAsync(Url("/healthz")));
    }

    [Fact]
    public async Task A_port_in_use_is_exit_69_with_one_line()
    {
        var error = await Assert.ThrowsAsync<XSend.Cli.Failures.CliException>(() =>
            ServeCommand.ServeAsync(Settings, _delivery, _metrics, TextWriter.Null, new FakeTimeProvider(), _stop.Token));

        Assert.Equal(XSend.Cli.Failures.ExitCodes.Unavailable, error.ExitCode);
        Assert.StartsWith($"cannot listen on 127.0.0.1:{_port}: ", error.Message);
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
