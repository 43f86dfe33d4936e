using Pmx.Cli;

namespace Pmx.Tests.Cli;

/// <summary>`pmx startup` on Windows: the Run entry's name and command, for the default PMX_HOME and another.</summary>
public class LogonEntryTests
{
    const string DefaultHome = @"C:\Users\ada\.pmx";
    const string Pmx = @"C:\Program Files\pmx\pmx.exe";

    [Test]
    public async Task TheDefaultHomeRunsResurrectWithNoShell()
    {
        await Assert.That(LogonEntry.Command(Pmx, DefaultHome, DefaultHome, out var problem)).IsEqualTo("\"C:\\Program Files\\pmx\\pmx.exe\" resurrect");
        await Assert.That(problem).IsNull();
        // Windows paths are case-insensitive, and a trailing separator names the same folder.
        await Assert.That(LogonEntry.Name(@"c:\users\ADA\.pmx\", DefaultHome)).IsEqualTo("pmx");
    }

    [Test]
    public async Task AnotherHomeIsSetByCmdAndHasAnEntryOfItsOwn()
    {
        const string home = @"D:\apps & tools\.pmx";
        await Assert.That(LogonEntry.Command(Pmx, home, DefaultHome, out _))
            .IsEqualTo("cmd.exe /d /c set \"PMX_HOME=D:\\apps & tools\\.pmx\"&& \"C:\\Program Files\\pmx\\pmx.exe\" resurrect");
        await Assert.That(LogonEntry.Name(home, DefaultHome)).IsEqualTo(@"pmx D:\apps & tools\.pmx");
    }

    [Test]
    [Arguments(@"D:\100%\.pmx", "'%'")]
    [Arguments("D:\\odd\n\\.pmx", "control character")]
    public async Task APathCmdWouldChangeIsRefusedAndNamed(string home, string named)
    {
        await Assert.That(LogonEntry.Command(Pmx, home, DefaultHome, out var problem)).IsNull();
        await Assert.That(problem!).Contains("PMX_HOME").And.Contains(named);
    }
}
