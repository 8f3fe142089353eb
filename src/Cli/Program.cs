using FimVerify.Cli;
using FimVerify.Cli.CommandLine;

// Wiring only: the commands are listed in CommandCatalog, each lives in Commands/.
return Dispatcher.Run(CommandCatalog.All(), args, Console.Out, Console.Error);
