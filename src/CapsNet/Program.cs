using CapsNet;
using CapsNet.Data;
using CapsNet.Native;

try
{
    TorchRuntime.SetThreads(0);
    using var train = MnistData.Load("data/mnist", MnistSplit.Train);
    using var test = MnistData.Load("data/mnist", MnistSplit.Test);
    Console.WriteLine($"MNIST: {train.Count} training and {test.Count} test images on {TorchRuntime.SelectDevice(DeviceChoice.Auto)}.");
    return 0;
}
catch (UserInputException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
