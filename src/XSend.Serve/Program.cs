using XSend.Cli;
using XSend.Cli.Platform;
using XSend.Serve;

using var signals = new EarlySignals();
StandardStreams.ReopenClosed();
return await ServeApp.RunAsync(args, StandardStreams.Output, StandardStreams.Error, CliEnvironment.FromProcess(), signals.Token);
