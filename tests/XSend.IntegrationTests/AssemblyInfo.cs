// The integration suite drives a real Prosody from Debian: Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
