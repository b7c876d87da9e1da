import Hummingbird
import VoucherServices

/// Registers every route of accounts and access on the `v1` group.
public enum AccountsRoutes {
    public static func add(to v1: RouterGroup<AppRequestContext>, environment: AccountsEnvironment) {
        AuthController(env: environment).addRoutes(to: v1)
        RegistrationController(env: environment).addRoutes(to: v1)
        AccountController(env: environment).addRoutes(to: v1)
        SubAccountsController(env: environment).addRoutes(to: v1)
        ApprovalsController(env: environment).addRoutes(to: v1)
    }
}

extension AccountsRoutes {
    /// A router serving only these routes behind the same problem and auth middleware as the
    /// service, for tests and tools that need accounts without the stores of the grab path.
    public static func standaloneRouter(environment: AccountsEnvironment) -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: ProblemMiddleware())
        let v1 = router.group("v1").add(middleware: environment.authMiddleware)
        add(to: v1, environment: environment)
        return router
    }
}
