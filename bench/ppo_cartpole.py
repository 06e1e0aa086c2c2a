"""PPO on CartPole: Lerax against a PureJaxRL-style reference, measured in the same run.

The configuration is PureJaxRL's CartPole one: 4 envs x 128 steps per rollout, 4 epochs x 4 minibatches,
learning rate 2.5e-4 annealed linearly to 0, entropy coefficient 0.01, clipped value loss, ~500k steps.

The reference, `purejaxrl_style_train`, follows the structure of PureJaxRL's ppo.py (one `make_train` closure around a
`lax.scan` of update steps, gymnax's CartPole-v1, a flax actor-critic with orthogonal init, optax Adam). It is written
here from that well-known design with plain JAX for the distribution, so both sides run in this process, on this machine.

Reported for each: compile time (first call minus second), steady-state time (second call), steps/s and final return
(mean return of the episodes finished in the last 10% of iterations). The headline ratio is Lerax's steady-state
time divided by the reference's (goal: <= 0.8). Also reported: the Lerax docs' snippet (PPO() defaults, 2**16 steps)
end to end including compilation (goal: <= 10 s), 16 seeds in one call against one seed (goal: <= 4x), and the
overhead of checkpointing at the default interval (about 10 checkpoints a run) against none (goal: <= 5%), and PPO on
gymnax's own CartPole through `GymnaxToLeraxEnv` against Lerax's CartPole (goal: <= 1.2x).
Finally, as context for the ratio, the time that the run's matrix products alone take on this machine
(`dense_layer_floor`).

Run: python bench/ppo_cartpole.py   (needs the dev extras: pip install -e ".[dev]")
"""
import tempfile
import time
from typing import NamedTuple

import equinox as eqx
import flax.linen as nn
import gymnax
import jax
import jax.numpy as jnp
import jax.random as jr
import numpy as np
import optax
from flax.training.train_state import TrainState
from gymnax.wrappers.purerl import LogWrapper

from lerax.algorithm import PPO
from lerax.env import CartPole, make
from lerax.policy import MLPActorCriticPolicy

NUM_ENVS, NUM_STEPS, EPOCHS, MINIBATCHES = 4, 128, 4, 4
NUM_UPDATES = 500_000 // (NUM_ENVS * NUM_STEPS)
TOTAL_TIMESTEPS = NUM_UPDATES * NUM_ENVS * NUM_STEPS
LR, GAMMA, GAE_LAMBDA, CLIP_EPS, ENT_COEF, VF_COEF, MAX_GRAD_NORM = 2.5e-4, 0.99, 0.95, 0.2, 0.01, 0.5, 0.5
REPEATS = 3


# ---------------------------------------------------------------- the reference (PureJaxRL-style)
class ActorCritic(nn.Module):
    action_dim: int

    @nn.compact
    def __call__(self, x):
        dense = lambda n, gain: nn.Dense(n, kernel_init=nn.initializers.orthogonal(gain), bias_init=nn.initializers.zeros)
        actor = nn.tanh(dense(64, np.sqrt(2))(x))
        actor = nn.tanh(dense(64, np.sqrt(2))(actor))
        logits = dense(self.action_dim, 0.01)(actor)
        critic = nn.tanh(dense(64, np.sqrt(2))(x))
        critic = nn.tanh(dense(64, np.sqrt(2))(critic))
        return logits, jnp.squeeze(dense(1, 1.0)(critic), axis=-1)


class Transition(NamedTuple):
    done: jax.Array
    action: jax.Array
    value: jax.Array
    reward: jax.Array
    log_prob: jax.Array
    obs: jax.Array
    info: dict


def make_purejaxrl_style_train():
    env, env_params = gymnax.make("CartPole-v1")
    env = LogWrapper(env)
    network = ActorCritic(env.action_space(env_params).n)

    def schedule(count):
        return LR * (1.0 - (count // (MINIBATCHES * EPOCHS)) / NUM_UPDATES)

    def train(rng):
        rng, init_rng, reset_rng, loop_rng = jr.split(rng, 4)
        params = network.init(init_rng, jnp.zeros(env.observation_space(env_params).shape))
        tx = optax.chain(optax.clip_by_global_norm(MAX_GRAD_NORM), optax.adam(schedule, eps=1e-5))
        train_state = TrainState.create(apply_fn=network.apply, params=params, tx=tx)
        obs, env_state = jax.vmap(env.reset, in_axes=(0, None))(jr.split(reset_rng, NUM_ENVS), env_params)

        def update_step(runner_state, _):
            def env_step(runner_state, _):
                train_state, env_state, last_obs, rng = runner_state
                rng, action_rng, step_rng = jr.split(rng, 3)
                logits, value = network.apply(train_state.params, last_obs)
                action = jr.categorical(action_rng, logits)
                log_prob = jnp.take_along_axis(jax.nn.log_softmax(logits), action[:, None], axis=1)[:, 0]
                obs, env_state, reward, terminated, truncated, info = jax.vmap(env.step, in_axes=(0, 0, 0, None))(
                    jr.split(step_rng, NUM_ENVS), env_state, action, env_params)
                return (train_state, env_state, obs, rng), Transition(terminated | truncated, action, value, reward, log_prob, last_obs, info)

            runner_state, traj = jax.lax.scan(env_step, runner_state, None, NUM_STEPS)
            train_state, env_state, last_obs, rng = runner_state
            _, last_val = network.apply(train_state.params, last_obs)

            def gae_step(carry, t):
                gae, next_value = carry
                delta = t.reward + GAMMA * next_value * (1 - t.done) - t.value
                gae = delta + GAMMA * GAE_LAMBDA * (1 - t.done) * gae
                return (gae, t.value), gae

            _, advantages = jax.lax.scan(gae_step, (jnp.zeros_like(last_val), last_val), traj, reverse=True, unroll=16)
            targets = advantages + traj.value

            def update_epoch(update_state, _):
                def update_minibatch(train_state, batch):
                    traj, advantages, targets = batch

                    def loss_fn(params):
                        logits, value = network.apply(params, traj.obs)
                        log_probs_all = jax.nn.log_softmax(logits)
                        log_prob = jnp.take_along_axis(log_probs_all, traj.action[:, None], axis=1)[:, 0]
                        value_clipped = traj.value + (value - traj.value).clip(-CLIP_EPS, CLIP_EPS)
                        value_loss = 0.5 * jnp.maximum((value - targets) ** 2, (value_clipped - targets) ** 2).mean()
                        ratio = jnp.exp(log_prob - traj.log_prob)
                        gae = (advantages - advantages.mean()) / (advantages.std() + 1e-8)
                        actor_loss = -jnp.minimum(ratio * gae, jnp.clip(ratio, 1 - CLIP_EPS, 1 + CLIP_EPS) * gae).mean()
                        entropy = -(jnp.exp(log_probs_all) * log_probs_all).sum(-1).mean()
                        return actor_loss + VF_COEF * value_loss - ENT_COEF * entropy

                    grads = jax.grad(loss_fn)(train_state.params)
                    return train_state.apply_gradients(grads=grads), None

                train_state, traj, advantages, targets, rng = update_state
                rng, permutation_rng = jr.split(rng)
                batch_size = NUM_ENVS * NUM_STEPS
                permutation = jr.permutation(permutation_rng, batch_size)
                batch = jax.tree.map(lambda x: x.reshape((batch_size,) + x.shape[2:]), (traj, advantages, targets))
                batch = jax.tree.map(lambda x: jnp.take(x, permutation, axis=0), batch)
                minibatches = jax.tree.map(lambda x: x.reshape((MINIBATCHES, -1) + x.shape[1:]), batch)
                train_state, _ = jax.lax.scan(update_minibatch, train_state, minibatches)
                return (train_state, traj, advantages, targets, rng), None

            update_state, _ = jax.lax.scan(update_epoch, (train_state, traj, advantages, targets, rng), None, EPOCHS)
            return (update_state[0], env_state, last_obs, update_state[-1]), traj.info

        _, metrics = jax.lax.scan(update_step, (train_state, env_state, obs, loop_rng), None, NUM_UPDATES)
        return metrics

    return jax.jit(train)


def reference_final_return(metrics):
    done = np.asarray(metrics["returned_episode"])[-NUM_UPDATES // 10:]
    returns = np.asarray(metrics["returned_episode_returns"])[-NUM_UPDATES // 10:]
    return float(returns[done].mean())


# ---------------------------------------------------------------- Lerax, same configuration
def lerax_ppo():
    return PPO(num_envs=NUM_ENVS, num_steps=NUM_STEPS, num_epochs=EPOCHS, num_batches=MINIBATCHES,
               learning_rate=optax.linear_schedule(LR, 0.0, NUM_UPDATES * EPOCHS * MINIBATCHES),
               entropy_loss_coefficient=ENT_COEF, clip_value_loss=True)


def lerax_final_return(metrics):
    return float(np.nanmean(np.asarray(metrics["episode_return"])[-NUM_UPDATES // 10:]))


# ---------------------------------------------------------------- what no implementation on this machine can beat
def dense_layer_floor(policy, num_seeds=1, repeats=100):
    """Seconds that only the matrix products of a run of `num_seeds` seeds take here: per update, every dense layer's
    forward product and its two backward ones (weight gradient, input gradient) on a minibatch; per rollout step, the
    actor's forward products for the envs; per iteration, the critic's values of the rollout. Seeds are batched with
    vmap, as `learn` does. Each set runs `repeats` times in one compiled loop; the products feed each other (and the
    weight gradients nudge the weights), so nothing is hoisted out of the loop. Everything else PPO does (activations,
    losses, Adam, sampling, the environment) comes on top: a lower bound for any XLA program doing this work here."""
    def products(weights, x, backward):
        activations = [x]
        for weight in weights: activations.append(activations[-1] @ weight.T)
        if not backward: return weights, x + 1e-9 * activations[-1][:, :1]
        upstream, nudged = activations[-1], list(weights)
        for i in reversed(range(len(weights))):
            nudged[i] = weights[i] + 1e-9 * (upstream.T @ activations[i])   # weight gradient
            if i: upstream = upstream @ weights[i]                           # input gradient
        return nudged, x

    def seconds(network_list, batch, backward):
        @jax.vmap
        def one_set(networks, x):
            results = [products(weights, x, backward) for weights in networks]
            return [weights for weights, _ in results], sum(x for _, x in results) / len(results)

        loop = jax.jit(lambda carry: jax.lax.scan(lambda c, _: (one_set(*c), None), carry, None, repeats)[0])
        stacked = [[jnp.stack([layer.weight] * num_seeds) for layer in network.layers] for network in network_list]
        carry = (stacked, jnp.ones((num_seeds, batch, policy.actor.in_size)))
        jax.block_until_ready(loop(carry))
        return min(timed(lambda: loop(carry))[1] for _ in range(3)) / repeats

    update = seconds((policy.actor, policy.critic), NUM_ENVS * NUM_STEPS // MINIBATCHES, True)
    step = seconds((policy.actor,), NUM_ENVS, False)
    values = seconds((policy.critic,), 2 * NUM_ENVS * NUM_STEPS, False)
    return NUM_UPDATES * (EPOCHS * MINIBATCHES * update + NUM_STEPS * step + values)


def timed(fn):
    start = time.perf_counter()
    result = jax.block_until_ready(fn())
    return result, time.perf_counter() - start


if __name__ == "__main__":
    env = CartPole()
    policy = MLPActorCriticPolicy(env=env, key=jr.key(0))
    ppo = lerax_ppo()
    learn = lambda key: ppo.learn(env, policy, total_timesteps=TOTAL_TIMESTEPS, key=key, return_metrics=True)
    reference = make_purejaxrl_style_train()

    # Timing on a shared VM varies by 20-30% from run to run: time REPEATS steady-state calls of each, alternating,
    # and compare medians.
    checkpoint_dir = tempfile.mkdtemp()
    checkpointed = lambda key: ppo.learn(env, policy, total_timesteps=TOTAL_TIMESTEPS, key=key, return_metrics=True,
                                         checkpoint_dir=checkpoint_dir)   # the default interval: about 10 checkpoints
    bridged_env = make("gymnax:CartPole-v1")         # gymnax's own CartPole, through the compiled gymnax bridge
    bridged_policy = MLPActorCriticPolicy(env=bridged_env, key=jr.key(0))
    bridged = lambda key: ppo.learn(bridged_env, bridged_policy, total_timesteps=TOTAL_TIMESTEPS, key=key,
                                    return_metrics=True)
    runs = {"lerax": (learn, lerax_final_return), "reference": (reference, reference_final_return),
            "lerax, checkpointed": (checkpointed, lerax_final_return),
            "lerax, gymnax bridge": (bridged, lerax_final_return)}
    first = {name: timed(lambda: run(jr.key(1)))[1] for name, (run, _) in runs.items()}
    steady, outputs = {name: [] for name in runs}, {}
    for repeat in range(REPEATS):
        for name, (run, final_return) in runs.items():
            outputs[name], seconds = timed(lambda: run(jr.key(2)))
            steady[name].append(seconds)
    results = {}
    for name, (run, final_return) in runs.items():
        second = float(np.median(steady[name]))
        results[name] = (first[name] - second, second, final_return(outputs[name][1] if name.startswith("lerax") else outputs[name]))
        print(f"{name:>9}: compile {first[name] - second:5.1f} s   steady state {second:5.2f} s (median of {REPEATS}: "
              f"{', '.join(f'{t:.2f}' for t in steady[name])})   {TOTAL_TIMESTEPS / second:>10,.0f} steps/s   "
              f"final return {results[name][2]:6.1f}")
    overhead = results["lerax, checkpointed"][1] / results["lerax"][1] - 1
    print(f"checkpointing at the default interval: {100 * overhead:+.1f}% of steady-state time  (goal <= 5%)")
    bridge_ratio = results["lerax, gymnax bridge"][1] / results["lerax"][1]
    print(f"PPO on gymnax's CartPole through the bridge / on Lerax's CartPole: {bridge_ratio:.2f}x  (goal <= 1.2x)")
    ratio = results["lerax"][1] / results["reference"][1]
    print(f"steady-state ratio (lerax / PureJaxRL-style reference): {ratio:.2f}x  (goal <= 0.8x)")
    floor = dense_layer_floor(policy)
    print(f"matrix products alone (a lower bound for any implementation here): {floor:.2f} s = "
          f"{floor / results['reference'][1]:.2f}x the reference")

    # 16 seeds in one call against one seed, same configuration
    keys = jr.split(jr.key(3), 16)
    many = lambda: ppo.learn(env, policy, total_timesteps=TOTAL_TIMESTEPS, key=keys, return_metrics=True)
    timed(many)
    _, sixteen = timed(many)
    print(f"16 seeds in one call: {sixteen:.2f} s = {sixteen / results['lerax'][1]:.1f}x one seed  (goal <= 4x)")
    floor_sixteen = dense_layer_floor(policy, num_seeds=16)
    print(f"16 seeds' matrix products alone: {floor_sixteen:.2f} s = {floor_sixteen / results['lerax'][1]:.1f}x "
          f"one seed's whole run")
