fn main() {
    println!("{}", gitdep::answer() + mlc00::f0(&[1, 2, 3]));
}
