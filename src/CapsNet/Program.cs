using CapsNet.Cli;

return CapsNetApp.Run(args);
