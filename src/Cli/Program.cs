using FimVerify.Cli;
using FimVerify.Cli.Commands;
using FimVerify.Cli.CommandLine;

// Wiring only: the list of commands and the dispatcher. Each command lives in Commands/.
ICommand[] commands =
[
    new DeriveJijCommand(),
    new VerifyLemma1Command(),
];
return Dispatcher.Run(commands, args, Console.Out, Console.Error);
