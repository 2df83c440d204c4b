using SharpFuzz;
using XSend.Fuzz;

// Usage:
//   XSend.Fuzz TARGET            under afl-fuzz (scripts/fuzz.sh): the persistent fork-server loop
//   XSend.Fuzz TARGET FILE...    replay inputs once each and print the outcome (exit 1 on a crash)
//   XSend.Fuzz --list            the targets
if (args.Length == 0 || args[0] is "--list" or "-h" or "--help")
{
    foreach (FuzzTarget t in FuzzTargets.All)
        Console.WriteLine($"{t.Name,-14} {t.Description}");
    return args.Length == 0 ? 64 : 0;
}

FuzzTarget target;
try
{
    target = FuzzTargets.Get(args[0]);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"xsend-fuzz: {ex.Message}");
    return 64;
}

if (args.Length > 1)
{
    int crashes = 0;
    foreach (string file in args.Skip(1))
    {
        try
        {
            Console.WriteLine($"{file}: {target.Execute(File.ReadAllBytes(file))}");
        }
        catch (FuzzCrashException ex)
        {
            crashes++;
            Console.WriteLine($"{file}: CRASH {ex.Message}");
            Console.WriteLine(ex.InnerException?.ToString());
        }
    }
    return crashes == 0 ? 0 : 1;
}

// SharpFuzz reports an exception escaping the action as a crash to afl-fuzz; FuzzTarget.Execute
// lets only typed rejections and normal returns through.
Fuzzer.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    target.Execute(buffer.ToArray());
});
return 0;
