using AotVector.Server.Config;
using AotVector.Server.Hosting;

// One line on stderr and exit code 2 for a configuration mistake: never a stack trace.
var loaded = SettingsLoader.LoadForProcess(args);
if (!loaded.TryGet(out var settings, out var error))
{
    Console.Error.WriteLine("aotvector: configuration error: " + error.Message);
    return 2;
}

return await ServerHost.RunAsync(settings, args).ConfigureAwait(false);
