# Windows build of pmx (win-x64). Native AOT needs the "Desktop development with C++" workload
# of Visual Studio (or its Build Tools); dotnet publish reports it clearly when it is missing.
#   ./build.ps1          publish artifacts/pmx.exe
#   ./build.ps1 test     publish, then run every test
param([ValidateSet('build', 'test')][string]$Command = 'build')
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'; $env:DOTNET_NOLOGO = '1'

dotnet publish src/Pmx/Pmx.csproj -c Release -r win-x64 -o artifacts -p:DebugType=none
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
Remove-Item artifacts/*.pdb -ErrorAction SilentlyContinue

if ($Command -eq 'test') {
    dotnet publish tests/Pmx.TestWorker/Pmx.TestWorker.csproj -c Release -r win-x64 -o artifacts/testworker.d -p:DebugType=none
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    Copy-Item artifacts/testworker.d/testworker.exe artifacts/testworker.exe -Force
    dotnet test --solution pmx.slnx -c Release
    exit $LASTEXITCODE
}
