# AotVector build script for PowerShell; same verbs as build.sh: restore | build | publish [-Isa ISA] | run [-Isa ISA] | test | bench | clean
param(
    [Parameter(Position = 0)][string]$Verb = "build",
    [string]$Isa = "x86-64-v3",
    [Parameter(ValueFromRemainingArguments = $true)][string[]]$ServerArgs = @()
)
$ErrorActionPreference = "Stop"
Set-Location $PSScriptRoot
$env:DOTNET_CLI_TELEMETRY_OPTOUT = "1"
$Config = "Release"
$Rid = if ($IsWindows) { "win-x64" } elseif ($IsMacOS) { "osx-arm64" } else { "linux-x64" }
$PublishDir = Join-Path $PSScriptRoot "artifacts/publish/aotvector"
$Bin = Join-Path $PublishDir ($(if ($IsWindows) { "aotvector.exe" } else { "aotvector" }))

function Invoke-Build { dotnet build AotVector.sln -c $Config -nologo; if ($LASTEXITCODE) { exit $LASTEXITCODE } }
function Invoke-Publish {
    dotnet publish src/AotVector.Server/AotVector.Server.csproj -c $Config -r $Rid "-p:AotIsa=$Isa" -o $PublishDir -nologo
    if ($LASTEXITCODE) { exit $LASTEXITCODE }
    Copy-Item config/config.yaml (Join-Path $PublishDir "config.yaml") -Force
}
function Invoke-Test {
    Invoke-Build
    Invoke-Publish
    if (Test-Path tests/js/package.json) { Push-Location tests/js; npm ci --no-audit --no-fund --loglevel=error; Pop-Location }
    $env:AOTVECTOR_BIN = $Bin
    $env:AOTVECTOR_REPO = $PSScriptRoot
    $log = dotnet test AotVector.sln -c $Config --no-build -nologo --logger "console;verbosity=normal" 2>&1 | Tee-Object -Variable out
    $text = $out -join "`n"
    $passed = ([regex]::Matches($text, 'Passed: +(\d+)') | ForEach-Object { [int]$_.Groups[1].Value } | Measure-Object -Sum).Sum
    $failed = ([regex]::Matches($text, 'Failed: +(\d+)') | ForEach-Object { [int]$_.Groups[1].Value } | Measure-Object -Sum).Sum
    Write-Output "$passed passed, $failed failed"
    if ($failed -gt 0 -or $LASTEXITCODE) { exit 1 }
}

switch ($Verb) {
    "restore" { dotnet restore AotVector.sln }
    "build" { Invoke-Build }
    "publish" { Invoke-Publish }
    "run" { if (-not (Test-Path $Bin)) { Invoke-Publish }; & $Bin @ServerArgs }
    "test" { Invoke-Test }
    "bench" { bash perf/run-bench.sh; exit $LASTEXITCODE }
    "clean" { Remove-Item -Recurse -Force artifacts -ErrorAction SilentlyContinue }
    default { Write-Error "usage: ./build.ps1 restore|build|publish [-Isa ISA]|run|test|bench|clean"; exit 64 }
}
