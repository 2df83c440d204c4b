namespace XSend.Fuzz.Targets;

/// <summary>Private scratch directories for the targets that read files, one per target and process.</summary>
internal static class FuzzScratch
{
    public static string Create(string target)
    {
        string directory = Path.Combine(Path.GetTempPath(), $"xsend-fuzz-{target}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(directory);
        return directory;
    }
}
