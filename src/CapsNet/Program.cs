using CapsNet.Cli;

return CommandLine.Run(args);
