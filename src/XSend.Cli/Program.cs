using XSend.Cli;

return await XSendApp.RunAsync(args, Console.OpenStandardInput(), Console.Out, Console.Error, CliEnvironment.FromProcess());
