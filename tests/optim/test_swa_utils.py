"""torch.optim.swa_utils (AveragedModel, EMA/SWA averaging functions, update_bn, SWALR) against PyTorch."""
import warnings

import numpy as np
import pytest

import tritongrad as tg

torch = pytest.importorskip("torch")


def _model(lib):
    model = lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.BatchNorm1d(4), lib.nn.Linear(4, 1))
    with lib.no_grad():
        for i, p in enumerate(model.parameters()):
            p.copy_(lib.from_numpy((np.arange(p.numel(), dtype=np.float32).reshape(tuple(p.shape)) * 0.1 - 0.2 * i)))
    return model


def _run(lib):
    model = _model(lib)
    swa_utils = lib.optim.swa_utils
    opt = lib.optim.SGD(model.parameters(), lr=0.5)
    averaged = [swa_utils.AveragedModel(model),
                swa_utils.AveragedModel(model, multi_avg_fn=swa_utils.get_ema_multi_avg_fn(0.9)),
                swa_utils.AveragedModel(model, avg_fn=swa_utils.get_ema_avg_fn(0.8), use_buffers=True),
                swa_utils.AveragedModel(model, multi_avg_fn=swa_utils.get_swa_multi_avg_fn())]
    scheduler = swa_utils.SWALR(opt, swa_lr=0.05, anneal_epochs=3, anneal_strategy="linear")
    x = lib.from_numpy(np.arange(24, dtype=np.float32).reshape(8, 3) / 10)
    y = lib.from_numpy(np.arange(8, dtype=np.float32).reshape(8, 1) / 8)
    lrs = []
    for _ in range(5):
        opt.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        opt.step()
        scheduler.step()
        lrs.append(scheduler.get_last_lr())
        for avg in averaged:
            avg.update_parameters(model)
    states = [{k: v.detach().numpy().copy() for k, v in avg.state_dict().items()} for avg in averaged]
    swa_utils.update_bn([(x[:4], 0), (x[4:], 1)], averaged[0])
    bn = averaged[0].module[1]
    running = (bn.running_mean.numpy().copy(), bn.running_var.numpy().copy(), int(bn.num_batches_tracked))
    outputs = averaged[1](x).detach().numpy()
    return lrs, states, running, outputs, list(scheduler.state_dict()), bn.momentum, averaged[0].training


def test_averaged_models_and_swalr_match_torch():
    t_lrs, t_states, t_running, t_out, t_keys, t_momentum, t_training = _run(torch)
    g_lrs, g_states, g_running, g_out, g_keys, g_momentum, g_training = _run(tg)
    assert g_lrs == t_lrs
    assert g_keys == t_keys and g_momentum == t_momentum and g_training == t_training
    for t_state, g_state in zip(t_states, g_states):
        assert list(g_state) == list(t_state)
        for key in t_state:
            assert g_state[key].dtype == t_state[key].dtype, key
            np.testing.assert_allclose(g_state[key], t_state[key], rtol=1e-4, atol=1e-5, err_msg=key)
    for t_value, g_value in zip(t_running, g_running):
        np.testing.assert_allclose(g_value, t_value, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(g_out, t_out, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("make", [
    lambda lib: lib.optim.swa_utils.get_ema_avg_fn(1.5),
    lambda lib: lib.optim.swa_utils.get_ema_multi_avg_fn(-0.1),
    lambda lib: lib.optim.swa_utils.AveragedModel(lib.nn.Linear(1, 1), avg_fn=lambda a, b, n: a,
                                                  multi_avg_fn=lambda a, b, n: None),
    lambda lib: lib.optim.swa_utils.SWALR(lib.optim.SGD(lib.nn.Linear(1, 1).parameters(), lr=0.1), 0.01,
                                          anneal_strategy="step"),
    lambda lib: lib.optim.swa_utils.SWALR(lib.optim.SGD(lib.nn.Linear(1, 1).parameters(), lr=0.1), 0.01,
                                          anneal_epochs=-1),
    lambda lib: lib.optim.swa_utils.SWALR(lib.optim.SGD(lib.nn.Linear(1, 1).parameters(), lr=0.1), [0.1, 0.2]),
])
def test_errors_match_torch(make):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(Exception) as t_err:
            make(torch)
        with pytest.raises(Exception) as g_err:
            make(tg)
    assert type(g_err.value) is type(t_err.value)
    assert str(g_err.value) == str(t_err.value)


def test_swalr_state_dict_round_trip():
    opt = tg.optim.SGD(tg.nn.Linear(2, 1).parameters(), lr=0.1)
    scheduler = tg.optim.swa_utils.SWALR(opt, swa_lr=0.01, anneal_epochs=4)
    for _ in range(2):
        opt.step()
        scheduler.step()
    saved = scheduler.state_dict()
    assert "anneal_func" not in saved and saved["_anneal_strategy"] == "cos"
    other = tg.optim.swa_utils.SWALR(tg.optim.SGD(tg.nn.Linear(2, 1).parameters(), lr=0.1), swa_lr=0.01,
                                     anneal_strategy="linear")
    other.load_state_dict(saved)
    assert other.anneal_func is tg.optim.swa_utils.SWALR._cosine_anneal
