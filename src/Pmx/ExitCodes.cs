namespace Pmx;

/// <summary>pmx's exit codes: scripts and CI branch on them, so they never change meaning.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;
}
