"""Optimizers driven through tritongrad's public API (modules, autograd) against PyTorch."""
import copy

import numpy as np
import pytest

import tritongrad as tg

torch = pytest.importorskip("torch")

OPTIMIZERS = [("SGD", dict(lr=0.1, momentum=0.9, nesterov=True)), ("Adam", dict(lr=0.01, amsgrad=True)),
              ("AdamW", dict(lr=0.01)), ("RMSprop", dict(lr=0.01, centered=True)), ("NAdam", dict(lr=0.01)),
              ("RAdam", dict(lr=0.01)), ("Adagrad", dict(lr=0.1)), ("Adamax", dict(lr=0.01)),
              ("Adadelta", dict(lr=1.0)), ("Rprop", dict(lr=0.01)), ("ASGD", dict(lr=0.01))]


def _models():
    rng = np.random.default_rng(3)
    weight = rng.standard_normal((2, 4)).astype(np.float32)
    bias = rng.standard_normal(2).astype(np.float32)
    torch_model, tg_model = torch.nn.Linear(4, 2), tg.nn.Linear(4, 2)
    with torch.no_grad():
        torch_model.weight.copy_(torch.from_numpy(weight))
        torch_model.bias.copy_(torch.from_numpy(bias))
    with tg.no_grad():
        tg_model.weight.copy_(tg.from_numpy(weight.copy()))
        tg_model.bias.copy_(tg.from_numpy(bias.copy()))
    inputs = rng.standard_normal((8, 4)).astype(np.float32)
    targets = rng.standard_normal((8, 2)).astype(np.float32)
    return torch_model, tg_model, inputs, targets


@pytest.mark.parametrize("name,kwargs", OPTIMIZERS, ids=[n for n, _ in OPTIMIZERS])
def test_training_loop_matches_torch(name, kwargs):
    torch_model, tg_model, inputs, targets = _models()
    torch_opt = getattr(torch.optim, name)(torch_model.parameters(), **kwargs)
    tg_opt = getattr(tg.optim, name)(tg_model.parameters(), **kwargs)
    for _ in range(10):
        for model, opt, lib in ((torch_model, torch_opt, torch), (tg_model, tg_opt, tg)):
            opt.zero_grad()
            loss = lib.nn.functional.mse_loss(model(lib.from_numpy(inputs.copy())), lib.from_numpy(targets.copy()))
            loss.backward()
            opt.step()
    for t_param, g_param in zip(torch_model.parameters(), tg_model.parameters()):
        np.testing.assert_allclose(g_param.detach().numpy(), t_param.detach().numpy(), rtol=1e-4, atol=1e-5)


def test_tensor_hyperparameters_match_torch():
    results = []
    for lib in (torch, tg):
        param = lib.nn.Parameter(lib.ones(3))
        values = []
        for make in (lambda: lib.optim.SGD([param], lr=lib.tensor(0.01)),
                     lambda: lib.optim.Adam([param], lr=lib.tensor(0.01)),
                     lambda: lib.optim.Adam([param], betas=(lib.tensor(0.8), lib.tensor(0.95)))):
            opt = make()
            param.grad = lib.full((3,), 0.5)
            opt.step()
            values.append(param.tolist())
        scheduler = lib.optim.lr_scheduler.ExponentialLR(opt, 0.5)
        opt.step()
        scheduler.step()
        values.append([float(lr) for lr in scheduler.get_last_lr()])
        for bad in (dict(lr=lib.tensor([0.1, 0.2])), dict(lr=lib.tensor(0.1), foreach=True),
                    dict(betas=(0.9, lib.tensor(0.99)))):
            with pytest.raises(ValueError) as err:
                lib.optim.Adam([param], **bad)
            values.append(str(err.value))
        results.append(values)
    assert results[1] == results[0]


def test_deepcopy_of_an_optimizer_keeps_state_and_groups():
    param = tg.nn.Parameter(tg.ones(3))
    opt = tg.optim.Adam([param], lr=0.1)
    param.grad = tg.ones(3)
    opt.step()
    clone = copy.deepcopy(opt)
    assert clone.param_groups[0]["lr"] == 0.1 and clone.param_groups[0]["params"][0] is not param
    assert list(clone.state_dict()["state"][0]) == ["step", "exp_avg", "exp_avg_sq"]
    assert repr(clone) == repr(opt)


def test_optimizer_checkpoints_cross_between_torch_and_tritongrad(tmp_path):
    """A torch.save'd Adam state dict resumes in tritongrad (and the reverse), continuing PyTorch's run."""
    path = str(tmp_path / "adam.pt")
    init = np.arange(6, dtype=np.float32).reshape(2, 3) / 7
    t_param = torch.nn.Parameter(torch.from_numpy(init.copy()))
    torch_opt = torch.optim.Adam([t_param], lr=0.1, amsgrad=True)
    for _ in range(3):
        t_param.grad = torch.sin(t_param.detach())
        torch_opt.step()
    torch.save(torch_opt.state_dict(), path)

    g_param = tg.nn.Parameter(tg.from_numpy(t_param.detach().numpy().copy()))
    tg_opt = tg.optim.Adam([g_param], lr=0.5)
    tg_opt.load_state_dict(tg.load(path))
    assert tg_opt.param_groups[0]["lr"] == 0.1 and tg_opt.param_groups[0]["amsgrad"] is True
    assert [str(v.dtype) for v in tg_opt.state[g_param].values()] == ["torch.float32"] * 4
    for _ in range(3):
        t_param.grad = torch.sin(t_param.detach())
        torch_opt.step()
        g_param.grad = tg.from_numpy(np.sin(g_param.detach().numpy()))
        tg_opt.step()
    np.testing.assert_allclose(g_param.detach().numpy(), t_param.detach().numpy(), rtol=1e-5, atol=1e-6)

    tg.save(tg_opt.state_dict(), path)
    resumed = torch.optim.Adam([torch.nn.Parameter(torch.from_numpy(g_param.detach().numpy().copy()))], lr=0.3)
    resumed.load_state_dict(torch.load(path))
    saved = resumed.state_dict()
    assert saved["param_groups"] == torch_opt.state_dict()["param_groups"]
    assert {k: v.dtype for k, v in saved["state"][0].items()} == \
        {k: v.dtype for k, v in torch_opt.state_dict()["state"][0].items()}
