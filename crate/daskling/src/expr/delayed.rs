//! `delayed` for Rust closures: calls become graph nodes, computed later on a scheduler.
//!
//! ```
//! use daskling::expr::delayed::{compute_all, delayed, value, Call};
//! use daskling::scheduler::Scheduler;
//!
//! let inc = delayed(|x: &i64| x + 1).named("inc");
//! let add = delayed(|a: &i64, b: &i64| a + b).named("add");
//! let one = value(1i64);
//! let two = value(2i64);
//! let total = add.call((inc.call((one,)), inc.call((two,))));
//! assert_eq!(total.compute(Scheduler::Threads).unwrap(), 5);
//! // Many outputs in one graph; equal calls (same function, same arguments) run once.
//! let x = inc.call((value(10i64),));
//! let outs = compute_all(&[add.call((x.clone(), x.clone())), x], Scheduler::Sync).unwrap();
//! assert_eq!(outs, vec![22, 11]);
//! ```

use std::any::type_name;
use std::fmt::Display;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::walk::unlink;
use super::Lazy;
use crate::error::{Error, Result};
use crate::graph::{prefix_name, tokenize, Graph, Key, Task};
use crate::kernels::{Func, FuncBody, Kernel, Value};
use crate::scheduler::Scheduler;

struct Node {
    key: Key,
    kernel: Kernel,
    deps: Vec<Arc<Node>>,
}

impl Drop for Node {
    /// Drops a long chain of calls iteratively: the default recursive drop would
    /// overflow the stack on deep chains (a loop of 100,000 calls).
    fn drop(&mut self) {
        let take = |n: &mut Node| std::mem::take(&mut n.deps);
        unlink(take(self), take);
    }
}

/// A lazy value of type `T`: a literal or a call of a delayed function.
pub struct Delayed<T> {
    node: Arc<Node>,
    _t: PhantomData<fn() -> T>,
}

impl<T> Clone for Delayed<T> {
    fn clone(&self) -> Self {
        Delayed {
            node: self.node.clone(),
            _t: PhantomData,
        }
    }
}

impl<T> Delayed<T> {
    /// The key of this value's task.
    ///
    /// ```
    /// use daskling::{delayed, value, Call};
    /// let f = delayed(|x: &u8| *x).named("ident");
    /// assert!(f.call((value(1u8),)).key().to_string().starts_with("ident-"));
    /// ```
    pub fn key(&self) -> &Key {
        &self.node.key
    }
}

static LITERALS: AtomicU64 = AtomicU64::new(0);

/// A literal as a lazy value (each call makes a distinct task).
///
/// ```
/// use daskling::{delayed, value, Call, Scheduler};
/// let x = value(20u64);
/// let y = delayed(|a: &u64| a + 1).call((x,));
/// assert_eq!(y.compute(Scheduler::Sync).unwrap(), 21);
/// ```
pub fn value<T: Send + Sync + 'static>(v: T) -> Delayed<T> {
    let id = LITERALS.fetch_add(1, Ordering::Relaxed);
    Delayed {
        node: Arc::new(Node {
            key: Key::named(format!("value-{}", tokenize(&id))),
            kernel: Kernel::Literal(Value::any(v)),
            deps: Vec::new(),
        }),
        _t: PhantomData,
    }
}

/// A function whose calls are lazy.
pub struct DelayedFn<F> {
    f: Arc<F>,
    name: Arc<str>,
}

/// Wraps `f` so that [`Call::call`] builds a graph node instead of calling it.
///
/// ```
/// use daskling::{compute_all, delayed, value, Call, Scheduler};
/// // The workshop's loop: inc and add, lazily, then one compute.
/// let inc = delayed(|x: &i64| x + 1).named("inc");
/// let add = delayed(|a: &i64, b: &i64| a + b).named("add");
/// let outs: Vec<_> = (0..10).map(|i| add.call((inc.call((value(i),)), value(10)))).collect();
/// let v = compute_all(&outs, Scheduler::Threads).unwrap();
/// assert_eq!(v.iter().sum::<i64>(), (1..=10).sum::<i64>() + 100);
/// ```
pub fn delayed<F>(f: F) -> DelayedFn<F> {
    DelayedFn {
        f: Arc::new(f),
        name: "delayed".into(),
    }
}

/// As [`delayed`], for a function returning `Result<R, E>`: an `Err` fails the compute
/// with its message.
/// Use [`TryCall::try_call`] on it.
///
/// ```
/// use daskling::{try_delayed, value, Scheduler, TryCall};
/// let parse = try_delayed(|s: &String| s.parse::<i32>());
/// assert_eq!(parse.try_call((value("42".to_string()),)).compute(Scheduler::Sync).unwrap(), 42);
/// let err = parse.try_call((value("x".to_string()),)).compute(Scheduler::Sync).unwrap_err();
/// assert!(err.to_string().contains("invalid digit"));
/// ```
pub fn try_delayed<F>(f: F) -> DelayedFn<F> {
    delayed(f)
}

impl<F> DelayedFn<F> {
    /// Names the function in keys and graph labels (letters, digits and `_`).
    ///
    /// ```
    /// use daskling::{delayed, value, Call};
    /// let f = delayed(|x: &u8| *x).named("my fn!");
    /// assert!(f.call((value(1u8),)).key().to_string().starts_with("my_fn_-"));
    /// ```
    pub fn named(mut self, name: &str) -> Self {
        self.name = prefix_name(name).into();
        self
    }

    fn node(&self, body: Arc<FuncBody>, deps: Vec<Arc<Node>>) -> Arc<Node> {
        let fid = Arc::as_ptr(&self.f) as *const () as usize;
        let dep_keys: Vec<String> = deps.iter().map(|d| d.key.to_string()).collect();
        let key = Key::named(format!("{}-{}", self.name, tokenize(&(fid, dep_keys))));
        Arc::new(Node {
            key,
            kernel: Kernel::Func(Func {
                name: self.name.clone(),
                body,
            }),
            deps,
        })
    }
}

/// Calling a delayed function on a tuple of lazy arguments.
pub trait Call<Args> {
    /// The function's result type.
    type Output;
    /// A lazy call: a new graph node depending on the arguments' nodes.
    fn call(&self, args: Args) -> Delayed<Self::Output>;
}

fn arg<A: 'static>(inputs: &[Value], i: usize) -> std::result::Result<&A, String> {
    inputs
        .get(i)
        .and_then(|v| match v {
            Value::Any(x) => x.downcast_ref::<A>(),
            _ => None,
        })
        .ok_or_else(|| format!("argument {i} is not a {}", type_name::<A>()))
}

/// Turns what a delayed function returned into a task result.
pub trait IntoTaskResult {
    /// The value type a successful call produces.
    type Ok: Send + Sync + 'static;
    /// `Ok` as a [`Value`], or the error's message.
    fn into_task_result(self) -> std::result::Result<Self::Ok, String>;
}

impl<R: Send + Sync + 'static, E: Display> IntoTaskResult for std::result::Result<R, E> {
    type Ok = R;
    fn into_task_result(self) -> std::result::Result<R, String> {
        self.map_err(|e| e.to_string())
    }
}

macro_rules! impl_call {
    ($($A:ident $a:ident $i:tt),*) => {
        impl<F, R, $($A),*> Call<($(Delayed<$A>,)*)> for DelayedFn<F>
        where
            F: Fn($(&$A),*) -> R + Send + Sync + 'static,
            R: Send + Sync + 'static,
            $($A: Send + Sync + 'static,)*
        {
            type Output = R;
            fn call(&self, args: ($(Delayed<$A>,)*)) -> Delayed<R> {
                let f = self.f.clone();
                let body: Arc<FuncBody> = Arc::new(move |inputs: &[Value]| {
                    $(let $a = arg::<$A>(inputs, $i)?;)*
                    Ok(Value::any(f($($a),*)))
                });
                Delayed { node: self.node(body, vec![$(args.$i.node.clone()),*]), _t: PhantomData }
            }
        }
    };
}

impl_call!(A a 0);
impl_call!(A a 0, B b 1);
impl_call!(A a 0, B b 1, C c 2);
impl_call!(A a 0, B b 1, C c 2, D d 3);

/// Calls of a fallible function (from [`try_delayed`]).
pub trait TryCall<Args> {
    /// The value of a successful call.
    type Output;
    /// A lazy call whose `Err` fails the compute.
    fn try_call(&self, args: Args) -> Delayed<Self::Output>;
}

macro_rules! impl_try_call {
    ($($A:ident $a:ident $i:tt),*) => {
        impl<F, R, $($A),*> TryCall<($(Delayed<$A>,)*)> for DelayedFn<F>
        where
            F: Fn($(&$A),*) -> R + Send + Sync + 'static,
            R: IntoTaskResult,
            $($A: Send + Sync + 'static,)*
        {
            type Output = R::Ok;
            fn try_call(&self, args: ($(Delayed<$A>,)*)) -> Delayed<R::Ok> {
                let f = self.f.clone();
                let body: Arc<FuncBody> = Arc::new(move |inputs: &[Value]| {
                    $(let $a = arg::<$A>(inputs, $i)?;)*
                    f($($a),*).into_task_result().map(Value::any)
                });
                Delayed { node: self.node(body, vec![$(args.$i.node.clone()),*]), _t: PhantomData }
            }
        }
    };
}

impl_try_call!(A a 0);
impl_try_call!(A a 0, B b 1);
impl_try_call!(A a 0, B b 1, C c 2);
impl_try_call!(A a 0, B b 1, C c 2, D d 3);

impl<T> Lazy for Delayed<T> {
    fn lower(&self, g: &mut Graph) -> Result<Key> {
        let mut stack = vec![self.node.clone()];
        while let Some(n) = stack.pop() {
            if g.contains(&n.key) {
                continue;
            }
            let deps = n.deps.iter().map(|d| d.key.clone()).collect();
            g.insert(n.key.clone(), Task::new(n.kernel.clone(), deps));
            stack.extend(n.deps.iter().filter(|d| !g.contains(&d.key)).cloned());
        }
        Ok(self.node.key.clone())
    }
}

impl<T: Clone + Send + Sync + 'static> Delayed<T> {
    /// Computes this value.
    ///
    /// ```
    /// use daskling::{delayed, value, Call, Scheduler};
    /// let sq = delayed(|x: &f64| x * x);
    /// assert_eq!(sq.call((value(3.0),)).compute(Scheduler::Threads).unwrap(), 9.0);
    /// ```
    pub fn compute(&self, scheduler: Scheduler) -> Result<T> {
        let mut out = compute_all(std::slice::from_ref(self), scheduler)?;
        out.pop()
            .ok_or_else(|| Error::invalid("the compute returned no value"))
    }
}

/// Computes many delayed values in one graph, sharing common work.
///
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use std::sync::Arc;
/// use daskling::{compute_all, delayed, value, Call, Scheduler};
/// // A call shared by two values runs once.
/// let runs = Arc::new(AtomicUsize::new(0));
/// let r = runs.clone();
/// let slow = delayed(move |x: &u32| { r.fetch_add(1, Ordering::SeqCst); x + 1 });
/// let shared = slow.call((value(1u32),));
/// let double = delayed(|x: &u32| x * 2);
/// let out = compute_all(&[double.call((shared.clone(),)), shared], Scheduler::Sync).unwrap();
/// assert_eq!(out, vec![4, 2]);
/// assert_eq!(runs.load(Ordering::SeqCst), 1);
/// ```
pub fn compute_all<T: Clone + Send + Sync + 'static>(
    items: &[Delayed<T>],
    scheduler: Scheduler,
) -> Result<Vec<T>> {
    let lazies: Vec<&dyn Lazy> = items.iter().map(|d| d as &dyn Lazy).collect();
    let (values, _) = super::compute_values(&lazies, scheduler, &mut |_| {})?;
    items
        .iter()
        .zip(values)
        .map(|(d, v)| v.downcast::<T>(&d.key().to_string()).cloned())
        .collect()
}
