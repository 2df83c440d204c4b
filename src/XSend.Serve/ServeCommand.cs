using System.CommandLine;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using XSend.Cli;
using XSend.Cli.Commands;
using XSend.Cli.Configuration;
using XSend.Cli.Failures;
using XSend.Cli.Outbox;

namespace XSend.Serve;

/// <summary>
/// <c>xsend-serve</c>: the webhook bridge. Takes Alertmanager and Grafana notifications and
/// plain sends over HTTP (Kestrel) and answers 2xx only once the message is acked by the XMPP
/// server or fsync'd to the outbox; 503 with Retry-After otherwise.
/// </summary>
internal sealed class ServeCommand : RootCommand
{
    public readonly Option<string> Listen = new("--listen")
    {
        Description = "Listen for webhooks here, ADDRESS:PORT (config Serve:Listen, default 127.0.0.1:9095). "
            + "A non-loopback address needs Serve:TokenFile or Serve:BasicAuthFile (or Serve:AllowUnauthenticated).",
        HelpName = "ADDRESS:PORT",
    };

    private readonly ConnectionOptions _connection = new();

    public ServeCommand()
        : base("Run the webhook bridge: POST /alertmanager, /grafana and /send become XMPP messages to the configured "
            + "Serve:Recipients; answered 200 once acked by the server, 202 once queued in the outbox, else 503.")
    {
        foreach (Option option in _connection.All)
            Options.Add(option);
        Options.Add(Listen);
    }

    /// <summary>Gives the command its action (the writers and the environment come from <see cref="ServeApp"/>).</summary>
    public void Bind(TextWriter stderr, CliEnvironment environment) =>
        SetAction((result, token) => RunAsync(_connection.ToRequest(result), result.GetValue(Listen), stderr, environment, token));

    private static async Task<int> RunAsync(ConnectionRequest request, string? listen, TextWriter stderr, CliEnvironment environment, CancellationToken cancellationToken)
    {
        TextWriter log = TextWriter.Synchronized(stderr);
        return await FailureReporter.RunAsync(log, request.Verbose, async () =>
        {
            if (listen is not null)
            {
                var overrides = new Dictionary<string, (string Value, string Option)>(request.SettingOverrides, StringComparer.OrdinalIgnoreCase)
                {
                    [ServeSettings.ListenKey] = (listen, "--listen"),
                };
                request = request with { SettingOverrides = overrides };
            }
            using RunContext run = RunContext.Prepare(request, environment, log, Stopwatch.StartNew());
            using var localReads = new CancellationTokenSource(run.Timeout, environment.Time);
            ServeSettings settings = ServeSettings.Load(SettingsLoader.LoadLayers(environment, request.ConfigPath, request.SettingOverrides, localReads.Token), localReads.Token);
            var outbox = new OutboxStore(run.Settings.OutboxDirectory, run.Settings.OutboxMaxAge) { OpenForWriting = environment.OpenOutboxFile };
            var metrics = new ServeMetrics();
            using var delivery = new PerWebhookDelivery(run, outbox, metrics, log, settings.DeliveryTimeout);
            return await ServeAsync(settings, delivery, metrics, log, environment.Time, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <summary>Runs the HTTP server until <paramref name="cancellationToken"/> (SIGTERM, Ctrl+C) fires; in-flight webhooks finish or are queued.</summary>
    /// <remarks><paramref name="listening"/> is completed once the listener is up (tests wait for it).</remarks>
    internal static async Task<int> ServeAsync(
        ServeSettings settings, IWebhookDelivery delivery, ServeMetrics metrics, TextWriter log, TimeProvider time, CancellationToken cancellationToken,
        TaskCompletionSource? listening = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear(); // never an appsettings.json or ASPNETCORE_* from the working directory
        builder.Logging.ClearProviders(); // our own one line per event on stderr
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = settings.MaxBodyBytes;
            kestrel.Limits.MaxConcurrentConnections = 4 * settings.MaxConcurrentWebhooks;
            kestrel.Listen(settings.Listen);
        });
        await using WebApplication app = builder.Build();

        var endpoints = new WebhookEndpoints(settings, delivery, new DuplicateFilter(settings.DuplicateWindow, time), metrics, log, time, cancellationToken);
        app.MapPost("/alertmanager", context => endpoints.NotificationAsync(context, "/alertmanager"));
        app.MapPost("/grafana", context => endpoints.NotificationAsync(context, "/grafana"));
        app.MapPost("/send", endpoints.SendAsync);
        app.MapGet("/healthz", context => context.Response.WriteAsync("ok\n", context.RequestAborted));
        app.MapGet("/readyz", context =>
        {
            context.Response.StatusCode = delivery.IsReady ? 200 : 503;
            return context.Response.WriteAsync(delivery.IsReady ? "ready\n" : "the XMPP server is not reachable\n", context.RequestAborted);
        });
        app.MapGet("/metrics", context =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            return context.Response.WriteAsync(metrics.Render(), context.RequestAborted);
        });

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new CliException(ExitCodes.Unavailable, $"cannot listen on {settings.Listen}: {ex.Message}");
        }
        listening?.TrySetResult();
        log.WriteLine($"xsend: serve: listening on http://{settings.Listen} for POST /alertmanager, /grafana, /send");

        Task recovering = RecoverLoopAsync(delivery, settings.Retry, log, time, cancellationToken);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        log.WriteLine("xsend: serve: stopping; in-flight webhooks finish or are queued");
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(1.5));
        await app.StopAsync(grace.Token).ConfigureAwait(false);
        await recovering.ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary>Drains the outbox on start, and retries an unreachable server (then drains) every <paramref name="interval"/>.</summary>
    private static async Task RecoverLoopAsync(IWebhookDelivery delivery, TimeSpan interval, TextWriter log, TimeProvider time, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await delivery.RecoverAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The loop is what brings queued alerts out: it must outlive any one failure.
                FailureReporter.Print(log, $"serve: the outbox could not be sent: {ex.Message}");
            }
            try
            {
                await Task.Delay(interval, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
