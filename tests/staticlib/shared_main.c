int run_basic(void);
int main(void) { return run_basic(); }
